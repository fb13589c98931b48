import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';

const EXAMPLE_DIRECTORY = path.resolve(__dirname, '..');

/** Runs `src/<script>` through tsx in a process of its own; resolves with its exit code and output. */
function runCli(
  script: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', `src/${script}`, ...args],
      { cwd: EXAMPLE_DIRECTORY, timeout: 30_000, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('the command lines', () => {
  it('refuses two instances without the table they would share, and on 2025-11-25', async () => {
    const memory = await runCli('demo.ts', ['--instances', '2']);
    expect(memory.code).toBe(1);
    expect(memory.stderr).toContain('--instances 2 needs --backend dynamodb');
    const legacy = await runCli('demo.ts', ['--protocol', '2025-11-25', '--instances', '2']);
    expect(legacy.code).toBe(1);
    expect(legacy.stderr).toContain('--instances 2 is for --protocol 2026-07-28');
  }, 60_000);

  it('refuses a worker process without the table it would share, and an unknown protocol', async () => {
    const worker = await runCli('main.ts', ['--port', '0', '--executor', 'worker']);
    expect(worker.code).toBe(1);
    expect(worker.stderr).toContain('--executor worker needs --backend dynamodb');
    const unknown = await runCli('main.ts', ['--protocol', '2024-11-05']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("argument '2024-11-05' is invalid");
  }, 60_000);
});
