import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The only interface the demo's servers and proxy listen on. */
export const LOOPBACK_HOST = '127.0.0.1';

/** Starts `server` on `port` of 127.0.0.1 (0: any free port); resolves with the port it got. */
export function listenOnLoopback(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK_HOST, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Stops `server`: drops every open connection, then waits until it no longer listens. */
export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * The user named by `Authorization: Bearer <name>`, or `undefined` without that header: the demo's
 * stand-in for real authentication.
 */
export function bearerUser(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}
