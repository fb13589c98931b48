import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { runEndpoint } from './support/run-endpoint.js';

const EXAMPLE_DIRECTORY = path.resolve(__dirname, '../../examples/mcp-server');

/** Runs `pnpm demo -- <args>` (the example's `src/demo.ts`) on the run's DynamoDB Local. */
async function demo(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'src/demo.ts', ...args],
    {
      cwd: EXAMPLE_DIRECTORY,
      env: {
        ...process.env,
        DYNAMODB_ENDPOINT: runEndpoint(),
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      timeout: 150_000,
    },
  );
  return stdout;
}

describe('pnpm demo -- --backend dynamodb', () => {
  it('tells the 2026-07-28 story on DynamoDB Local, found as the integration suite finds it, and exits 0', async () => {
    const table = `demo-v2-${Date.now().toString(36)}`;
    const stdout = await demo(['--backend', 'dynamodb', '--table', table]);
    expect(stdout).toContain(`DynamoDB table ${table} at ${runEndpoint()}`);
    expect(stdout).toContain(
      '5 created: 3 completed (1 with isError: true), 1 failed (JSON-RPC error), 1 cancelled',
    );
    expect(stdout).toMatch(/\[import {2}\] failed with JSON-RPC error -32000: Import failed/);
    expect(stdout).toMatch(/\[report {2}\] completed, result: Report on Q3 sales/);
  }, 180_000);

  it('runs two instances behind the round-robin proxy, kills the one running a task, and the survivor reads it failed', async () => {
    const table = `demo-v2x2-${Date.now().toString(36)}`;
    const stdout = await demo(['--backend', 'dynamodb', '--instances', '2', '--table', table]);
    expect(stdout).toMatch(/\[proxy {3}\] http:\/\/127\.0\.0\.1:\d+\/mcp: A, B, A, B/);
    expect(stdout).toMatch(
      /routing {6}[1-9]\d* of \d+ tasks\/\* requests answered by the instance not running the task/,
    );
    expect(stdout).toMatch(
      /\[demo {4}\] SIGKILL instance [AB] \(pid \d+\), the worker of the task/,
    );
    expect(stdout).toMatch(/\[batch {3}\] error -32603: Task worker lost: worker '[AB]'/);
    expect(stdout).toMatch(
      /worker lost {2}[AB] killed mid-task; read failed \(-32603\) \d+ ms later/,
    );
  }, 180_000);

  it('tells the 2025-11-25 story with --protocol 2025-11-25 and exits 0', async () => {
    const table = `demo-${Date.now().toString(36)}`;
    const stdout = await demo([
      '--protocol',
      '2025-11-25',
      '--backend',
      'dynamodb',
      '--table',
      table,
    ]);
    expect(stdout).toContain(`DynamoDB table ${table} at ${runEndpoint()}`);
    expect(stdout).toContain('4 created: 2 completed, 1 failed, 1 cancelled');
    expect(stdout).toContain('1 question answered while its task was input_required');
    expect(stdout).toMatch(/\[report {2}\] result: Report on Q3 sales/);
  }, 180_000);
});
