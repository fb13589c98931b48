import type {
  TaskHandle,
  TaskOutcome,
  TaskView,
  ToolExecution,
} from '@modelcontextprotocol/ext-tasks/client';
import { duration, type Printer, shortId } from '../print.js';
import type { TasksClient } from './client.js';

/** A tool result as the demo reads it. */
interface ToolResult {
  content?: Array<{ type: string; text?: string }>;
  isError?: boolean;
}

/** How one tool call ended. */
export interface FollowedTask {
  /** The short name the demo prints for the call. */
  label: string;
  /** The task the call created. */
  taskId: TaskHandle['taskId'];
  /** The status the task ended in. */
  status: 'completed' | 'failed' | 'cancelled';
  /** The result's text, for a completed task. */
  text?: string;
  /** Whether the result of a completed task had `isError: true`. */
  isError: boolean;
  /** The JSON-RPC error of a failed task. */
  error?: { code?: number; message: string };
  /** The instances whose names the task's status messages carried: where its handler ran. */
  instances: string[];
}

/** Called with every new state of the task the stream reports (and the execution, to cancel it). */
export type TaskHook = (
  task: TaskView,
  execution: ToolExecution<unknown, unknown>,
) => Promise<void>;

/**
 * Calls `tool` as a task through the ext-tasks session and prints its life as it happens:
 * creation, each new status or status message, then the result, the JSON-RPC error or the cancel.
 */
export async function followTool(
  { session }: TasksClient,
  label: string,
  tool: string,
  args: Record<string, string | number>,
  print: Printer,
  onTask: TaskHook = async () => undefined,
): Promise<FollowedTask> {
  const execution = await session.callTool(tool, args, { task: { preference: 'require' } });
  if (execution.kind !== 'task') throw new Error(`${tool} answered without creating a task`);
  const { taskId } = execution.handle;
  const instances = new Set<string>();
  let shown = '';
  const { outcome } = await execution.settle({
    onEvent: async (event) => {
      if (event.type !== 'task') return;
      const { task } = event;
      const message = task.statusMessage ?? '';
      const now = message === '' ? task.status : `${task.status}: ${message}`;
      if (shown === '') {
        print.line(
          label,
          `${tool} → task ${shortId(taskId)} created (${task.status}, ttl ${duration(task.retentionMs)}, poll every ${duration(task.suggestedPollIntervalMs)})`,
        );
        shown = task.status;
      }
      const instance = /\(instance ([^)]+)\)$/.exec(message)?.[1];
      if (instance !== undefined) instances.add(instance);
      if (now !== shown && !isEnded(task)) print.line(label, now);
      shown = now;
      await onTask(task, execution);
    },
  });
  const followed = { label, taskId, instances: [...instances].sort(), ...ending(outcome) };
  print.line(label, describeEnding(followed));
  return followed;
}

/** One line saying how a task ended. */
function describeEnding(task: Omit<FollowedTask, 'label' | 'taskId' | 'instances'>): string {
  if (task.status === 'completed') {
    return `completed, result${task.isError ? ' (isError: true)' : ''}: ${task.text ?? ''}`;
  }
  if (task.status === 'failed') {
    return `failed with JSON-RPC error ${String(task.error?.code)}: ${task.error?.message ?? ''}`;
  }
  return 'cancelled';
}

function ending(
  outcome: TaskOutcome<unknown>,
): Omit<FollowedTask, 'label' | 'taskId' | 'instances'> {
  if (outcome.status === 'completed') {
    const result = (outcome.result ?? {}) as ToolResult;
    return { status: 'completed', text: textOf(result), isError: result.isError === true };
  }
  if (outcome.status === 'failed') {
    const { code, message } = outcome.error;
    return {
      status: 'failed',
      isError: false,
      error: { ...(code === undefined ? {} : { code }), message },
    };
  }
  return { status: 'cancelled', isError: false };
}

function isEnded(task: TaskView): boolean {
  return ['completed', 'failed', 'cancelled'].includes(task.status);
}

/** The text items of a tool result, joined. */
export function textOf(result: ToolResult): string {
  return (result.content ?? [])
    .flatMap((item) => (item.text === undefined ? [] : [item.text]))
    .join(' ');
}
