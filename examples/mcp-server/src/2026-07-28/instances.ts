import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stopChild } from '../processes.js';
import type { ExecutorKind } from './app.js';
import type { RuntimeSettings } from './runtime.js';

/** How to start one server process on a shared DynamoDB table. */
export interface ServerProcessOptions extends RuntimeSettings {
  /** The DynamoDB endpoint. */
  endpoint: string;
  /** The shared table (it must exist). */
  table: string;
  /** Where the handlers run (default `inline`: in the server process). */
  executor?: ExecutorKind;
  /** Told every line the process writes (stdout and stderr), as it comes. */
  onLine?: (line: string) => void;
}

/** A server process of the example (`src/main.ts`, through tsx). */
export interface ServerProcess {
  /** Its instance name. */
  instance: string;
  /** Its process id. */
  pid: number;
  /** Its MCP endpoint on 127.0.0.1. */
  url: URL;
  /** Everything it wrote so far (stdout and stderr). */
  output(): string;
  /** Sends `signal` to its pid (SIGKILL: dead at once, nothing cleaned up). */
  kill(signal: NodeJS.Signals): void;
  /** Resolves once it has exited. */
  exited: Promise<void>;
  /** Ends it: SIGTERM to its pid, SIGKILL if it has not exited after 5 s. */
  stop(): Promise<void>;
}

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
/** The example's directory: the processes start there, where `--import tsx` resolves. */
const EXAMPLE_DIRECTORY = fileURLToPath(new URL('../..', import.meta.url));
const START_TIMEOUT_MS = 60_000;

/**
 * Starts the example's server as a Node process of its own, serving 2026-07-28 on a free loopback
 * port with tasks in `table`, and resolves once it announces its URL.
 */
export function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const args = [
    '--import',
    'tsx',
    MAIN,
    ...['--protocol', '2026-07-28', '--port', '0', '--backend', 'dynamodb'],
    ...['--endpoint', options.endpoint, '--table', options.table],
    ...['--instance', options.instance, '--executor', options.executor ?? 'inline'],
    ...['--lease-ms', String(options.leaseMs), '--renew-ms', String(options.renewEveryMs)],
    ...['--watch-ms', String(options.watchIntervalMs), '--poll-ms', String(options.pollIntervalMs)],
    ...['--step-ms', String(options.stepMs)],
  ];
  const child = spawn(process.execPath, args, {
    cwd: EXAMPLE_DIRECTORY,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  let partial = '';
  const take = (chunk: Buffer) => {
    output += chunk.toString();
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) options.onLine?.(line);
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  return new Promise((resolve, reject) => {
    const fail = (reason: string) => {
      clearTimeout(timer);
      void stopChild(child, exited).finally(() =>
        reject(new Error(`${reason}; its output:\n${output}`)),
      );
    };
    const timer = setTimeout(
      () => fail(`instance ${options.instance} did not start in time`),
      START_TIMEOUT_MS,
    );
    const early = (code: number | null) =>
      fail(`instance ${options.instance} exited with code ${String(code)}`);
    child.once('exit', early);
    const ready = () => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      child.off('exit', early);
      child.stdout?.off('data', ready);
      resolve({
        instance: options.instance,
        pid: child.pid as number,
        url: new URL(match[1]),
        output: () => output,
        kill: (signal) => void process.kill(child.pid as number, signal),
        exited,
        stop: () => stopChild(child, exited),
      });
    };
    child.stdout?.on('data', ready);
  });
}
