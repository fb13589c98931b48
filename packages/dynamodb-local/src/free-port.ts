import { createServer } from 'node:net';

/** The loopback address every local provider binds and every client connects to. */
export const LOOPBACK_HOST = '127.0.0.1';

/** A TCP port that was free on 127.0.0.1 a moment ago: the kernel picks it for a port-0 bind. */
export function findFreeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, LOOPBACK_HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : undefined;
      server.close(() =>
        port === undefined ? reject(new Error('Could not read the bound port')) : resolve(port),
      );
    });
  });
}
