import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { runCli } from '../src/cli-program.js';
import { type SilentEndpoint, startSilentEndpoint } from './silent-endpoint.js';

/**
 * Credentials and region for the in-process CLI runs below, so the SDK never looks past the
 * environment (no shared config, no instance metadata): the only traffic is to the silent endpoint.
 */
const LOCAL_ENVIRONMENT = {
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
};
const TIMEOUT_VARIABLE = 'TASKS_DYNAMODB_REQUEST_TIMEOUT_MS';
const TIMEOUT_MS = 200;
/**
 * Three attempts of 200 ms and the SDK's backoff between them (well under 200 ms), with slack for a
 * loaded 2-core CI machine running other suites at once: a hang would take forever, not seconds.
 */
const BOUND_MS = 3 * TIMEOUT_MS + 4_000;

let silent: SilentEndpoint;
let savedEnvironment: Record<string, string | undefined>;

function setEnvironment(variables: Record<string, string>): void {
  for (const [name, value] of Object.entries(variables)) {
    savedEnvironment[name] ??= process.env[name];
    process.env[name] = value;
  }
}

async function run(...args: string[]): Promise<{ code: number; stderr: string; elapsed: number }> {
  let stderr = '';
  const started = performance.now();
  const code = await runCli(args, {
    stdout: { write: () => true },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stderr, elapsed: performance.now() - started };
}

beforeEach(async () => {
  savedEnvironment = {};
  setEnvironment(LOCAL_ENVIRONMENT);
  silent = await startSilentEndpoint();
});

afterEach(async () => {
  await silent.close();
  for (const [name, value] of Object.entries(savedEnvironment)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('tasks-dynamodb against an endpoint that never answers', () => {
  it('check-table --request-timeout gives up after 3 attempts and says why', async () => {
    const { code, stderr, elapsed } = await run(
      'check-table',
      '--endpoint',
      silent.url,
      '--request-timeout',
      String(TIMEOUT_MS),
    );
    expect(code).toBe(1);
    expect(silent.connections()).toBe(3);
    expect(elapsed).toBeGreaterThanOrEqual(3 * TIMEOUT_MS - 10);
    expect(elapsed).toBeLessThan(BOUND_MS);
    expect(stderr).toBe(
      'error: Storage backend failed during checkTable: TimeoutError: @smithy/node-http-handler - ' +
        `[ERROR] a request has exceeded the configured ${TIMEOUT_MS} ms requestTimeout.\n` +
        `The endpoint did not answer within the request timeout of ${TIMEOUT_MS} ms; raise --request-timeout or ${TIMEOUT_VARIABLE} for a slow endpoint.\n`,
    );
  });

  it(`create-table takes the timeout from ${TIMEOUT_VARIABLE}, and AWS_MAX_ATTEMPTS cannot raise the 3 attempts`, async () => {
    setEnvironment({ [TIMEOUT_VARIABLE]: String(TIMEOUT_MS), AWS_MAX_ATTEMPTS: '10' });
    const { code, stderr, elapsed } = await run('create-table', '--endpoint', silent.url);
    expect(code).toBe(1);
    expect(silent.connections()).toBe(3);
    expect(elapsed).toBeLessThan(BOUND_MS);
    expect(stderr).toContain('Storage backend failed during createTable: TimeoutError');
    expect(stderr).toContain(`within the request timeout of ${TIMEOUT_MS} ms`);
  });

  it('prefers the flag to the variable', async () => {
    setEnvironment({ [TIMEOUT_VARIABLE]: '600000' });
    const { code, stderr, elapsed } = await run(
      'check-table',
      '--endpoint',
      silent.url,
      '--request-timeout',
      String(TIMEOUT_MS),
    );
    expect(code).toBe(1);
    expect(silent.connections()).toBe(3);
    expect(elapsed).toBeLessThan(BOUND_MS);
    expect(stderr).toContain(`within the request timeout of ${TIMEOUT_MS} ms`);
  });
});
