import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { type Blackhole, startBlackhole } from './support/blackhole.js';
import { runTasksDynamoDbCli } from './support/tasks-dynamodb-cli.js';

const TIMEOUT_VARIABLE = 'TASKS_DYNAMODB_REQUEST_TIMEOUT_MS';
const ATTEMPTS = 3;
const TIMEOUT_MS = 300;
/**
 * The documented bound, attempts × timeout plus the SDK's backoff (under 0.2 s after timeouts),
 * with room for starting Node and loading the SDK in the child.
 */
const STARTUP_AND_BACKOFF_MS = 3_000;
const DEFAULT_TIMEOUT_MS = 5_000;
/** A command still running this long after its bound hangs: it is killed, and the test fails. */
const KILL_MARGIN_MS = 5_000;

function killAfter(timeoutMs: number): number {
  return ATTEMPTS * timeoutMs + STARTUP_AND_BACKOFF_MS + KILL_MARGIN_MS;
}

function timeoutMessage(timeoutMs: number): string {
  return `a request has exceeded the configured ${timeoutMs} ms requestTimeout.\nThe endpoint did not answer within the request timeout of ${timeoutMs} ms; raise --request-timeout or ${TIMEOUT_VARIABLE} for a slow endpoint.\n`;
}

let blackhole: Blackhole;

beforeEach(async () => {
  blackhole = await startBlackhole();
});

afterEach(async () => {
  await blackhole.close();
});

describe('tasks-dynamodb (real process) against an endpoint that accepts connections and never answers', () => {
  it.each(['check-table', 'create-table'])(
    '%s --request-timeout exits 1 after 3 attempts, within the bound, saying why',
    async (command) => {
      const run = await runTasksDynamoDbCli(
        [command, '--endpoint', blackhole.endpoint, '--request-timeout', String(TIMEOUT_MS)],
        { killAfterMs: killAfter(TIMEOUT_MS) },
      );
      expect(run.code).toBe(1);
      expect(blackhole.connections()).toBe(ATTEMPTS);
      expect(run.elapsedMs).toBeGreaterThanOrEqual(ATTEMPTS * TIMEOUT_MS);
      expect(run.elapsedMs).toBeLessThan(ATTEMPTS * TIMEOUT_MS + STARTUP_AND_BACKOFF_MS);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(`error: Storage backend failed during `);
      expect(run.stderr).toContain(timeoutMessage(TIMEOUT_MS));
    },
  );

  it(`takes the timeout from ${TIMEOUT_VARIABLE}, and AWS_MAX_ATTEMPTS cannot add attempts`, async () => {
    const run = await runTasksDynamoDbCli(['check-table', '--endpoint', blackhole.endpoint], {
      env: { [TIMEOUT_VARIABLE]: String(TIMEOUT_MS), AWS_MAX_ATTEMPTS: '10' },
      killAfterMs: killAfter(TIMEOUT_MS),
    });
    expect(run.code).toBe(1);
    expect(blackhole.connections()).toBe(ATTEMPTS);
    expect(run.elapsedMs).toBeLessThan(ATTEMPTS * TIMEOUT_MS + STARTUP_AND_BACKOFF_MS);
    expect(run.stderr).toContain(timeoutMessage(TIMEOUT_MS));
  });

  it('gives up after 3 × 5,000 ms by default', async () => {
    const run = await runTasksDynamoDbCli(['check-table', '--endpoint', blackhole.endpoint], {
      killAfterMs: killAfter(DEFAULT_TIMEOUT_MS),
    });
    expect(run.code).toBe(1);
    expect(blackhole.connections()).toBe(ATTEMPTS);
    expect(run.elapsedMs).toBeGreaterThanOrEqual(ATTEMPTS * DEFAULT_TIMEOUT_MS);
    expect(run.elapsedMs).toBeLessThan(ATTEMPTS * DEFAULT_TIMEOUT_MS + STARTUP_AND_BACKOFF_MS);
    expect(run.stderr).toContain(timeoutMessage(DEFAULT_TIMEOUT_MS));
  }, 30_000);
});
