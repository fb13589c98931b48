import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The built `tasks-dynamodb` command (`packages/dynamodb/dist/cli.js`); build before the tests. */
export const CLI_PATH = path.resolve(__dirname, '../../../packages/dynamodb/dist/cli.js');

/** How one run of the command ended. */
export interface CliRun {
  /** The exit code; `null` when the process was killed. */
  code: number | null;
  /** Everything it wrote to stdout. */
  stdout: string;
  /** Everything it wrote to stderr. */
  stderr: string;
  /** Wall time from the spawn to the exit, Node's start included, in milliseconds. */
  elapsedMs: number;
}

/** Options of `runTasksDynamoDbCli`. */
export interface CliRunOptions {
  /** Variables added to the child's environment. */
  env?: Record<string, string>;
  /** The child is killed (by its pid) after this long; a hung command then ends with `code: null`. */
  killAfterMs?: number;
}

/**
 * The child's environment: the parent's without its AWS and `TASKS_DYNAMODB_` settings, plus
 * dummy credentials and a region, so the SDK reads nothing else (no profile, no instance metadata)
 * and the only traffic is to the endpoint the test names.
 */
function childEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(
    ([name]) => !name.startsWith('AWS_') && !name.startsWith('TASKS_DYNAMODB_'),
  );
  return {
    ...Object.fromEntries(inherited),
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...extra,
  };
}

/** Runs `node packages/dynamodb/dist/cli.js ...args` in a process of its own. */
export function runTasksDynamoDbCli(
  args: readonly string[],
  options: CliRunOptions = {},
): Promise<CliRun> {
  if (!existsSync(CLI_PATH)) {
    throw new Error(`${CLI_PATH} is missing: build first (npx --yes pnpm@10.34.9 build)`);
  }
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI_PATH, ...args],
      {
        env: childEnvironment(options.env ?? {}),
        timeout: options.killAfterMs ?? 60_000,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr, elapsedMs: performance.now() - started });
      },
    );
  });
}
