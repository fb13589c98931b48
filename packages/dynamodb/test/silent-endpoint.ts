import { createServer, type Socket } from 'node:net';

/** A loopback endpoint that accepts connections and never answers, as a hung DynamoDB would. */
export interface SilentEndpoint {
  /** `http://127.0.0.1:<port>`, the port picked by the kernel. */
  url: string;
  /** Connections accepted so far: one per request attempt. */
  connections(): number;
  /** Drops every held connection and stops listening. */
  close(): Promise<void>;
}

/** Starts a `SilentEndpoint` on 127.0.0.1. */
export async function startSilentEndpoint(): Promise<SilentEndpoint> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    connections: () => accepted,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
