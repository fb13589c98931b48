import { createServer, type Socket } from 'node:net';
import { LOOPBACK_HOST } from '../../src/index.js';

/** A loopback server that hands each accepted connection to the test. */
export interface ConnectionListener {
  port: number;
  /** The next connection, once a client opens it. */
  nextConnection(): Promise<Socket>;
  close(): Promise<void>;
}

/** Starts a `ConnectionListener` on a port the kernel picks. */
export function listenForConnections(): Promise<ConnectionListener> {
  const waiting: Array<(socket: Socket) => void> = [];
  const arrived: Socket[] = [];
  const server = createServer((socket) => {
    const taker = waiting.shift();
    if (taker) taker(socket);
    else arrived.push(socket);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK_HOST, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('The listener has no port'));
        return;
      }
      resolve({
        port: address.port,
        nextConnection: () => {
          const socket = arrived.shift();
          return socket ? Promise.resolve(socket) : new Promise((take) => waiting.push(take));
        },
        close: () => new Promise((closed) => server.close(() => closed())),
      });
    });
  });
}

/** Resolves when `socket` closes: the process at its other end is gone. */
export function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) resolve();
    else socket.once('close', () => resolve());
  });
}
