import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TaskExecutor, TaskJob } from '@tasks/mcp';
import { stopChild } from '../processes.js';
import type { RuntimeSettings } from './runtime.js';

/** What a worker process is started with: the runtime settings and the table it shares. */
export interface WorkerSettings extends RuntimeSettings {
  /** The DynamoDB endpoint of the shared table. */
  endpoint: string;
  /** The shared table. */
  table: string;
  /** AWS region for an AWS endpoint. */
  region?: string;
}

/** The messages a worker process sends its parent. */
export type WorkerMessage = { type: 'ready' } | { type: 'failed'; error: string };

/** A worker process running the tasks a server hands it. */
export interface WorkerProcess {
  /** The executor that hands each created task to the worker. */
  executor: TaskExecutor;
  /** The worker's process id. */
  pid: number;
  /** Ends the worker (SIGTERM to its pid, SIGKILL after 5 s) and waits for it to exit. */
  stop(): Promise<void>;
}

const WORKER_ENTRY = fileURLToPath(new URL('./worker.ts', import.meta.url));
/** The example's directory: the worker starts there, where `--import tsx` resolves. */
const EXAMPLE_DIRECTORY = fileURLToPath(new URL('../..', import.meta.url));
const READY_TIMEOUT_MS = 30_000;

/**
 * Forks `worker.ts` (a Node process of its own, through tsx) and resolves once it is ready. The
 * executor sends each job (`{ owner, taskId }`, JSON over the IPC channel) to it; the worker runs
 * the task with `McpTasksServer.execute(job)` on the shared table. The worker exits when its
 * parent does, even one killed with SIGKILL (its IPC channel closes).
 */
export function startWorkerProcess(settings: WorkerSettings): Promise<WorkerProcess> {
  const child = fork(WORKER_ENTRY, [JSON.stringify(settings)], {
    cwd: EXAMPLE_DIRECTORY,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const fail = (reason: string) => {
      clearTimeout(timer);
      void stopChild(child, exited).finally(() => reject(new Error(reason)));
    };
    const timer = setTimeout(
      () => fail('the worker process did not start in time'),
      READY_TIMEOUT_MS,
    );
    const early = (code: number | null) =>
      fail(`the worker process exited with code ${String(code)}`);
    child.once('exit', early);
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'failed') fail(`the worker process failed: ${message.error}`);
      if (message.type !== 'ready') return;
      clearTimeout(timer);
      child.off('exit', early);
      resolve({
        executor: (job: TaskJob) => {
          if (!child.connected) throw new Error('The worker process is gone');
          child.send(job);
        },
        pid: child.pid as number,
        stop: () => stopChild(child, exited),
      });
    });
  });
}
