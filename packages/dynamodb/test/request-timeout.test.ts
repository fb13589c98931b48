import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BackendError } from '@tasks/core';
import { DynamoDbBackend } from '../src/index.js';
import { type SilentEndpoint, startSilentEndpoint } from './silent-endpoint.js';

let silent: SilentEndpoint;

beforeAll(async () => {
  silent = await startSilentEndpoint();
});

afterAll(async () => {
  await silent.close();
});

describe('requestTimeoutMs', () => {
  it('fails a call to an endpoint that never answers with BackendError instead of hanging', async () => {
    const backend = new DynamoDbBackend({
      endpoint: silent.url,
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
