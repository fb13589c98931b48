import { type BackendKind, openStorage } from '../storage.js';
import { startTasksHttpServer } from './http.js';
import { createTasksRuntime, type RuntimeSettings } from './runtime.js';
import { startWorkerProcess, type WorkerProcess } from './worker-process.js';

/** Where the tools' handlers run: in the server process, or in a worker process it forks. */
export const EXECUTOR_KINDS = ['inline', 'worker'] as const;

/** One of `EXECUTOR_KINDS`. */
export type ExecutorKind = (typeof EXECUTOR_KINDS)[number];

/** Everything the 2026-07-28 demo server is started with. */
export interface TasksAppOptions extends RuntimeSettings {
  /** Port on 127.0.0.1 (0: any free port). */
  port: number;
  /** Where tasks are kept. */
  backend: BackendKind;
  /** DynamoDB endpoint; without one, DynamoDB Local is started. */
  endpoint?: string;
  /** DynamoDB table, created when missing. */
  table: string;
  /** AWS region for an AWS endpoint. */
  region?: string;
  /** Where the handlers run; `worker` needs DynamoDB, the store the two processes share. */
  executor: ExecutorKind;
  /** Where progress lines go. */
  log: (line: string) => void;
}

/** A running 2026-07-28 demo server. */
export interface TasksApp {
  /** The MCP endpoint. */
  url: URL;
  /** One line naming the storage backend. */
  storage: string;
  /** Stops the server and its worker, then releases the storage. */
  close(): Promise<void>;
}

/**
 * Opens the storage and serves the demo tools as tasks (MCP 2026-07-28, the tasks extension) over
 * Streamable HTTP on 127.0.0.1; with `executor: 'worker'`, a forked worker process runs them.
 */
export async function startTasksApp(options: TasksAppOptions): Promise<TasksApp> {
  if (options.executor === 'worker' && options.backend !== 'dynamodb') {
    throw new Error(
      '--executor worker needs --backend dynamodb: the worker reads the shared table',
    );
  }
  const storage = await openStorage(options);
  let worker: WorkerProcess | undefined;
  try {
    if (options.executor === 'worker') {
      worker = await startWorkerProcess({
        ...runtimeSettingsOf(options),
        instance: `${options.instance}-worker`,
        endpoint: storage.endpoint as string,
        table: options.table,
        ...(options.region === undefined ? {} : { region: options.region }),
      });
      options.log(`worker process ${worker.pid} runs the tasks of this instance`);
    }
    const tasks = createTasksRuntime(
      storage.store,
      runtimeSettingsOf(options),
      options.log,
      worker?.executor,
    );
    const http = await startTasksHttpServer({
      port: options.port,
      tasks,
      onError: (error) => options.log(`request failed: ${String(error)}`),
    });
    return {
      url: http.url,
      storage: storage.description,
      close: async () => {
        await http.close();
        await worker?.stop();
        await storage.close();
      },
    };
  } catch (error) {
    await worker?.stop();
    await storage.close();
    throw error;
  }
}

function runtimeSettingsOf(options: TasksAppOptions): RuntimeSettings {
  const { instance, leaseMs, renewEveryMs, watchIntervalMs, pollIntervalMs, stepMs } = options;
  return { instance, leaseMs, renewEveryMs, watchIntervalMs, pollIntervalMs, stepMs };
}
