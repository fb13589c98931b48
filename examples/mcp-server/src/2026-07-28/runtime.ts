import type { GenericTaskStore } from '@tasks/core';
import { McpTasksServer, type TaskExecutor } from '@tasks/mcp';
import { registerDemoTools } from './tools.js';

/** How a process runs the demo's tasks: its name, its leases, how it watches and paces them. */
export interface RuntimeSettings {
  /** This process's name in worker leases and in the report's progress (`A`, `B`...). */
  instance: string;
  /** How long a worker's lease lasts, in ms: a dead worker's task reads `failed` after it. */
  leaseMs: number;
  /** Time between lease renewals, in ms (below `leaseMs`). */
  renewEveryMs: number;
  /** Time between reads of a watched task, in ms: how soon a handler sees a cancel or an answer. */
  watchIntervalMs: number;
  /** Poll interval the tasks suggest to clients, in ms. */
  pollIntervalMs: number;
  /** Duration of one step of the tools' work, in ms. */
  stepMs: number;
}

/**
 * An `McpTasksServer` on `store` with the demo tools registered; `executor` hands the tasks it
 * creates elsewhere (default: they run in this process).
 */
export function createTasksRuntime(
  store: GenericTaskStore,
  settings: RuntimeSettings,
  log: (line: string) => void,
  executor?: TaskExecutor,
): McpTasksServer {
  const tasks = new McpTasksServer({
    store,
    instanceId: settings.instance,
    leaseMs: settings.leaseMs,
    renewEveryMs: settings.renewEveryMs,
    watchIntervalMs: settings.watchIntervalMs,
    pollIntervalMs: settings.pollIntervalMs,
    onError: (error) => log(`task work failed: ${String(error)}`),
    ...(executor === undefined ? {} : { executor }),
  });
  registerDemoTools(tasks, { stepMs: settings.stepMs, instance: settings.instance, log });
  return tasks;
}

/**
 * A log that writes each line to stdout stamped with the time (ISO 8601, to the millisecond) and
 * the instance: `2026-07-28T10:00:00.123Z [A] task …: handler stopped (cancelled)`. Tests read
 * the times to measure how soon a handler saw what happened on another instance.
 */
export function instanceLog(instance: string): (line: string) => void {
  return (line) => console.log(`${new Date().toISOString()} [${instance}] ${line}`);
}
