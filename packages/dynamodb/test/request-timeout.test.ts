import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BackendError } from '@tasks/core';
import { DynamoDbBackend } from '../src/index.js';

/** A loopback endpoint that accepts connections and never answers, as a hung DynamoDB would. */
let silent: Server;
const sockets = new Set<Socket>();
let endpoint: string;

beforeAll(async () => {
  silent = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const address = silent.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  endpoint = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});

describe('requestTimeoutMs', () => {
  it('fails a call to an endpoint that never answers with BackendError instead of hanging', async () => {
    const backend = new DynamoDbBackend({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 2,
      requestTimeoutMs: 200,
    });
    const started = Date.now();
    const error = await backend.get('o:t').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    const elapsed = Date.now() - started;
    backend.destroy();
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ operation: 'get', key: 'o:t' });
    expect(elapsed).toBeGreaterThanOrEqual(400);
    expect(elapsed).toBeLessThan(5_000);
  }, 10_000);
});
