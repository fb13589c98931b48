import { setTimeout as delay } from 'node:timers/promises';
import type { TaskView } from '@modelcontextprotocol/ext-tasks/client';
import { type Printer, shortId } from '../print.js';
import type { TasksClient } from './client.js';
import type { ServerProcess } from './instances.js';
import type { RuntimeSettings } from './runtime.js';
import { TOOL_NAMES } from './tools.js';

/** Time allowed beyond the lease and one poll for the failed read (a read, a write, the proxy). */
export const LEASE_READ_MARGIN_MS = 1_000;

/** What the survivor answered after the instance running a task was killed. */
export interface WorkerLoss {
  /** The task whose worker was killed. */
  taskId: string;
  /** The instance killed with SIGKILL. */
  victim: string;
  /** The status the task was last read in. */
  status: string;
  /** The JSON-RPC error it was read with, once failed. */
  error?: { code: number; message: string };
  /** Time from the SIGKILL to the first read of `failed`, in ms. */
  elapsedMs?: number;
  /** The bound that read must come within: the lease, one poll, and a margin. */
  boundMs: number;
}

type Settings = Pick<RuntimeSettings, 'leaseMs' | 'pollIntervalMs'>;

/**
 * Starts a long report, waits until its status messages name the instance running it, kills that
 * instance with SIGKILL (by pid), then reads the task through the proxy, which now reaches only the
 * survivor, until it reads `failed` with the lease-lost error (-32603).
 */
export async function killWorkerMidTask(
  alice: TasksClient,
  servers: readonly ServerProcess[],
  settings: Settings,
  print: Printer,
): Promise<WorkerLoss> {
  const execution = await alice.session.callTool(TOOL_NAMES.report, {
    topic: 'the nightly batch',
    steps: 100,
  });
  if (execution.kind !== 'task') throw new Error('the report did not create a task');
  const { taskId } = execution.handle;
  await execution.detach();
  const controller = alice.session.task(taskId);
  print.line('batch', `${TOOL_NAMES.report} → task ${shortId(taskId)} created`);
  const boundMs = settings.leaseMs + settings.pollIntervalMs + LEASE_READ_MARGIN_MS;
  const worker = await workerOf(controller.snapshot.bind(controller), settings, print);
  const victim = servers.find((server) => server.instance === worker);
  if (victim === undefined) throw new Error(`no instance named ${worker}`);
  print.line(
    'demo',
    `SIGKILL instance ${victim.instance} (pid ${victim.pid}), the worker of the task`,
  );
  const killedAt = performance.now();
  victim.kill('SIGKILL');
  await victim.exited;
  let shown = '';
  let last: TaskView | undefined;
  while (performance.now() - killedAt < boundMs + 5_000) {
    await delay(settings.pollIntervalMs);
    try {
      last = await controller.snapshot();
    } catch (error) {
      print.line(
        'batch',
        `tasks/get failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      continue;
    }
    const now = `${last.status}: ${last.statusMessage ?? ''}`;
    const elapsedMs = Math.round(performance.now() - killedAt);
    if (now !== shown) print.line('batch', `+${elapsedMs} ms after the kill: ${now}`);
    shown = now;
    if (last.status === 'failed') {
      const error = last.raw.error as { code: number; message: string };
      print.line('batch', `error ${error.code}: ${error.message}`);
      return { taskId, victim: victim.instance, status: last.status, error, elapsedMs, boundMs };
    }
    if (last.status !== 'working') break;
  }
  return { taskId, victim: victim.instance, status: last?.status ?? 'unread', boundMs };
}

/** Reads the task until a status message names its instance (from step 2 on); returns the name. */
async function workerOf(
  snapshot: () => Promise<TaskView>,
  settings: Settings,
  print: Printer,
): Promise<string> {
  let shown = '';
  for (let reads = 0; reads < 100; reads += 1) {
    const task = await snapshot();
    const message = task.statusMessage ?? '';
    if (message !== shown) print.line('batch', `${task.status}: ${message}`);
    shown = message;
    const match = /^step (\d+) .*\(instance ([^)]+)\)$/.exec(message);
    if (match?.[2] !== undefined && Number(match[1]) >= 2) return match[2];
    await delay(settings.pollIntervalMs);
  }
  throw new Error('the task never reported which instance runs it');
}

/** What is wrong with the worker loss; empty when the survivor read it failed in time. */
export function problemsOfLoss(loss: WorkerLoss): string[] {
  if (loss.status !== 'failed') return [`the task read ${loss.status} after the kill, not failed`];
  const problems: string[] = [];
  if (loss.error?.code !== -32603)
    problems.push(`the task failed with ${String(loss.error?.code)}, not -32603`);
  if (!loss.error?.message.includes(`worker '${loss.victim}'`)) {
    problems.push(`the lease-lost error does not name worker '${loss.victim}'`);
  }
  if ((loss.elapsedMs ?? Infinity) > loss.boundMs) {
    problems.push(
      `failed read ${String(loss.elapsedMs)} ms after the kill, above ${loss.boundMs} ms`,
    );
  }
  return problems;
}
