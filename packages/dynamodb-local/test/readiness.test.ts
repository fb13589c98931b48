import { describe, expect, it } from '@jest/globals';
import {
  DynamoDbLocalUnavailableError,
  findFreeLoopbackPort,
  LOOPBACK_HOST,
  type ReadinessOptions,
  waitUntilAnswering,
} from '../src/index.js';
import { type FakeAnswer, startFakeEndpoint, TABLE_LIST } from './support/fake-endpoint.js';
import { rejectionOf } from './support/rejection.js';

/** Patient attempts, so that a loaded machine never turns one answer into two requests. */
const PATIENT: ReadinessOptions = { intervalMs: 10, requestTimeoutMs: 10_000, timeoutMs: 20_000 };
/** Short attempts, for the tests that wait for the bounds to pass. */
const FAST: ReadinessOptions = { intervalMs: 10, requestTimeoutMs: 200 };

async function waitOn(answers: FakeAnswer[], options: ReadinessOptions) {
  const fake = await startFakeEndpoint(answers);
  try {
    const startedAt = Date.now();
    const outcome = await waitUntilAnswering(fake.endpoint, options).then(
      () => undefined,
      (error: unknown) => error,
    );
    return { error: outcome, elapsedMs: Date.now() - startedAt, requests: fake.requests };
  } finally {
    await fake.close();
  }
}

describe('waitUntilAnswering', () => {
  it('sends ListTables as plain HTTP with the dummy credentials, and resolves on a table list', async () => {
    const { error, requests } = await waitOn([TABLE_LIST], PATIENT);
    expect(error).toBeUndefined();
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
      },
      body: '{"Limit":1}',
    });
    expect(requests[0]?.headers.authorization).toContain('Credential=local/');
  });

  it('counts a 4xx refusal as an answer: the service is up', async () => {
    const refusal = { status: 400, body: '{"__type":"MissingAuthenticationToken"}' };
    expect((await waitOn([refusal], PATIENT)).error).toBeUndefined();
  });

  it('keeps asking through 5xx answers and 2xx answers without a table list', async () => {
    const { error, requests } = await waitOn(
      [{ status: 503, body: 'starting' }, { status: 200, body: 'hello' }, TABLE_LIST],
      PATIENT,
    );
    expect(error).toBeUndefined();
    expect(requests).toHaveLength(3);
  });

  it('gives up after timeoutMs with the last failure when nothing listens', async () => {
    const port = await findFreeLoopbackPort();
    const endpoint = `http://${LOOPBACK_HOST}:${port}`;
    const error = await rejectionOf(waitUntilAnswering(endpoint, { ...FAST, timeoutMs: 300 }));
    expect(error).toBeInstanceOf(DynamoDbLocalUnavailableError);
    expect((error as Error).message).toContain(
      `${endpoint} did not answer ListTables within 300 ms`,
    );
    expect((error as Error).message).toContain('ECONNREFUSED');
  });

  it('bounds each attempt by requestTimeoutMs against an endpoint that never answers', async () => {
    const { error, elapsedMs } = await waitOn(['hang'], { ...FAST, timeoutMs: 300 });
    expect(error).toBeInstanceOf(DynamoDbLocalUnavailableError);
    expect((error as Error).message).toContain('no answer within 200 ms');
    expect(elapsedMs).toBeLessThan(5_000);
  });

  it('reports the last unusable answer when the wait ends', async () => {
    const { error } = await waitOn([{ status: 500, body: 'broken' }], {
      ...PATIENT,
      timeoutMs: 200,
    });
    expect((error as Error).message).toContain('ListTables answered HTTP 500: broken');
  });

  it('stops at once when abortReason gives a reason', async () => {
    const error = await rejectionOf(
      waitUntilAnswering('http://127.0.0.1:9', { abortReason: () => 'exited with code 1' }),
    );
    expect(error).toBeInstanceOf(DynamoDbLocalUnavailableError);
    expect((error as Error).message).toBe('http://127.0.0.1:9 will not answer: exited with code 1');
  });
});
