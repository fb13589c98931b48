import { createServer, type Socket } from 'node:net';
import { LOOPBACK_HOST } from '@tasks/dynamodb-local';

/** A loopback TCP server that accepts connections and never answers: a hung endpoint. */
export interface Blackhole {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** Connections accepted so far: one per request attempt that reached it. */
  connections(): number;
  /** Drops every held connection and stops listening. */
  close(): Promise<void>;
}

/** Starts a `Blackhole` on a port the kernel picks. */
export function startBlackhole(): Promise<Blackhole> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK_HOST, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('The blackhole has no port'));
        return;
      }
      resolve({
        endpoint: `http://${LOOPBACK_HOST}:${address.port}`,
        connections: () => accepted,
        close: () =>
          new Promise((closed) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => closed());
          }),
      });
    });
  });
}
