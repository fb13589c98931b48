import { type ChildProcess, spawn } from 'node:child_process';

/**
 * Runs `argv[1..]` and kills it with SIGKILL when this watchdog gets SIGTERM, SIGINT or SIGHUP, or
 * when its IPC channel to the parent closes: the parent exited, crashed or was killed. So the
 * child never outlives the Node process that started it, even when that process dies abruptly or
 * runs inside a jest sandbox whose `process.on('exit')` listeners never fire.
 */
const WATCHDOG_SOURCE = `
const { spawn } = require('node:child_process');
const [command, ...args] = process.argv.slice(1);
const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
const stop = () => child.kill('SIGKILL');
process.on('disconnect', stop);
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, stop);
child.on('spawn', () => process.send({ childPid: child.pid }));
child.on('error', (error) => { process.stderr.write(String(error) + '\\n'); process.exit(127); });
child.on('exit', (code) => process.exit(code ?? 137));
`;

const OUTPUT_LIMIT = 16_384;
const KILL_TIMEOUT_MS = 10_000;

/** A process started under a watchdog, with its recent output. */
export interface SupervisedProcess {
  /** PID of the watchdog (the direct child of this process). */
  readonly pid: number;
  /** The PID of the supervised process, once the watchdog has started it. */
  childPid(): Promise<number>;
  /** The last 16 KB of the process's stdout and stderr. */
  output(): string;
  /** Why the process is gone (`exited with code 1`...), or `undefined` while it runs. */
  exitReason(): string | undefined;
  /** Kills the process (SIGKILL, through the watchdog) and resolves once both have exited. */
  kill(): Promise<void>;
}

/** Starts `command` with `args` under a watchdog that kills it when this process goes away. */
export function spawnSupervised(
  command: string,
  args: readonly string[],
  options: { cwd?: string } = {},
): SupervisedProcess {
  const watchdog = spawn(process.execPath, ['-e', WATCHDOG_SOURCE, command, ...args], {
    cwd: options.cwd,
    detached: false,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  if (watchdog.pid === undefined) throw new Error(`Could not start ${process.execPath}`);
  let output = '';
  let exitReason: string | undefined;
  let childPid: number | undefined;
  let reportChildPid: (pid: number) => void = () => undefined;
  const childStarted = new Promise<number>((resolve) => {
    reportChildPid = resolve;
  });
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  watchdog.stdout?.on('data', append);
  watchdog.stderr?.on('data', append);
  watchdog.on('message', (message: { childPid?: number }) => {
    if (typeof message.childPid !== 'number') return;
    childPid = message.childPid;
    reportChildPid(message.childPid);
  });
  const exited = new Promise<void>((resolve) => {
    watchdog.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      exitReason = signal === null ? `exited with code ${String(code)}` : `killed by ${signal}`;
      resolve();
    });
    watchdog.once('error', (error) => {
      exitReason ??= `failed: ${error.message}`;
    });
  });
  const gone = () =>
    exited.then((): never => {
      throw new Error(`The supervised process is gone: ${exitReason ?? 'no reason'}`);
    });
  return {
    pid: watchdog.pid,
    childPid: () => Promise.race([childStarted, gone()]),
    output: () => output,
    exitReason: () => exitReason,
    kill: () => killSupervised(watchdog, exited, () => childPid),
  };
}

async function killSupervised(
  watchdog: ChildProcess,
  exited: Promise<void>,
  childPid: () => number | undefined,
): Promise<void> {
  if (watchdog.exitCode !== null || watchdog.signalCode !== null) return;
  watchdog.kill('SIGTERM');
  if (await settlesWithin(exited, KILL_TIMEOUT_MS)) return;
  const pid = childPid();
  if (pid !== undefined) signalIfAlive(pid, 'SIGKILL');
  watchdog.kill('SIGKILL');
  await exited;
}

function signalIfAlive(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

async function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
