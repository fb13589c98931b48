import { setTimeout as delay } from 'node:timers/promises';
import type {
  CreateTaskRequestHandlerExtra,
  TaskRequestHandlerExtra,
} from '@modelcontextprotocol/sdk/experimental/tasks';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

/** How the demo tools pace their work. */
export interface DemoToolOptions {
  /** How long one step of work takes, in ms. */
  stepMs: number;
  /** The poll interval the tasks suggest to clients, in ms. */
  pollIntervalMs: number;
  /** Told about failures of background work that could not be stored in the task. */
  onError: (error: unknown) => void;
}

/** The names of the demo tools. */
export const TOOL_NAMES = {
  report: 'generate_report',
  importOrders: 'import_orders',
  cleanup: 'cleanup_workspace',
} as const;

type RequestTaskStore = CreateTaskRequestHandlerExtra['taskStore'];

function text(value: string): CallToolResult {
  return { content: [{ type: 'text', text: value }] };
}

const REPORT_ACTIVITIES = [
  'collecting sources',
  'reading documents',
  'extracting figures',
  'cross-checking numbers',
  'drafting sections',
  'formatting the report',
];

/** The handlers every task tool shares: the SDK answers tasks/get and tasks/result from the store. */
const storeHandlers = {
  getTask: async (_args: unknown, extra: TaskRequestHandlerExtra) =>
    extra.taskStore.getTask(extra.taskId),
  getTaskResult: async (_args: unknown, extra: TaskRequestHandlerExtra) =>
    (await extra.taskStore.getTaskResult(extra.taskId)) as CallToolResult,
};

/**
 * Registers the demo's three task tools on `server`:
 * - `generate_report` works for `steps` steps, reporting each in the task's status message, then completes;
 * - `import_orders` fails: its task ends in `failed` with an error result;
 * - `cleanup_workspace` asks the user to confirm (elicitation), so its task passes through `input_required`.
 */
export function registerDemoTools(server: McpServer, options: DemoToolOptions): void {
  const start = async (extra: CreateTaskRequestHandlerExtra, work: Work) => {
    const task = await extra.taskStore.createTask({
      ttl: extra.taskRequestedTtl,
      pollInterval: options.pollIntervalMs,
    });
    void runInBackground(task.taskId, extra.taskStore, work, options.onError);
    return { task };
  };

  server.experimental.tasks.registerToolTask(
    TOOL_NAMES.report,
    {
      title: 'Generate a report',
      description:
        'Works for a few seconds, reporting progress in the task status, then returns a report.',
      inputSchema: { topic: z.string(), steps: z.number().int().min(1).max(100).default(4) },
    },
    {
      ...storeHandlers,
      createTask: ({ topic, steps }, extra) =>
        start(extra, async (step) => {
          for (let index = 0; index < steps; index += 1) {
            const activity = REPORT_ACTIVITIES[index % REPORT_ACTIVITIES.length];
            await step(`step ${index + 1} of ${steps}: ${activity}`);
            await delay(options.stepMs);
          }
          await step('report ready');
          return {
            status: 'completed',
            result: text(`Report on ${topic}: ${steps} sections, all figures checked.`),
          };
        }),
    },
  );

  server.experimental.tasks.registerToolTask(
    TOOL_NAMES.importOrders,
    {
      title: 'Import orders',
      description: 'Tries to import orders from a source that is down, and fails.',
      inputSchema: { source: z.string() },
    },
    {
      ...storeHandlers,
      createTask: ({ source }, extra) =>
        start(extra, async (step) => {
          await step(`connecting to ${source}`);
          await delay(options.stepMs);
          await step(`${source} answered 503`);
          return {
            status: 'failed',
            result: {
              ...text(`Import failed: ${source} answered 503 Service Unavailable`),
              isError: true,
            },
          };
        }),
    },
  );

  server.experimental.tasks.registerToolTask(
    TOOL_NAMES.cleanup,
    {
      title: 'Clean up a workspace',
      description: 'Finds temporary files and asks the user before deleting them.',
      inputSchema: { path: z.string() },
    },
    {
      ...storeHandlers,
      createTask: ({ path }, extra) =>
        start(extra, async (step, taskId) => {
          await step(`scanning ${path}`);
          await delay(options.stepMs);
          await extra.taskStore.updateTaskStatus(
            taskId,
            'input_required',
            'waiting for confirmation',
          );
          const answer = await server.server.elicitInput(
            {
              mode: 'form',
              message: `Delete 3 temporary files in ${path}?`,
              requestedSchema: {
                type: 'object',
                properties: { confirm: { type: 'boolean', title: 'Delete them' } },
                required: ['confirm'],
              },
            },
            { relatedTask: { taskId } },
          );
          const confirmed = answer.action === 'accept' && answer.content?.confirm === true;
          await step(confirmed ? 'deleting 3 files' : 'keeping the files');
          return {
            status: 'completed',
            result: text(confirmed ? `Deleted 3 temporary files in ${path}.` : 'Nothing deleted.'),
          };
        }),
    },
  );
}

/** How a task ended: its terminal status and the result stored with it. */
interface Outcome {
  status: 'completed' | 'failed';
  result: CallToolResult;
}

/** A tool's background work; `step` reports progress in the status message. */
type Work = (step: (message: string) => Promise<void>, taskId: string) => Promise<Outcome>;

/** Thrown by `step` when the task was cancelled meanwhile, to stop the work. */
class TaskCancelledError extends Error {
  constructor(readonly taskId: string) {
    super(`Task ${taskId} was cancelled`);
    this.name = 'TaskCancelledError';
  }
}

/**
 * Runs `work` after the tool call has answered with the task. Stops when the task is cancelled;
 * an error in the work becomes a `failed` task with the error as its result.
 */
async function runInBackground(
  taskId: string,
  store: RequestTaskStore,
  work: Work,
  onError: (error: unknown) => void,
): Promise<void> {
  const step = async (message: string) => {
    const task = await store.getTask(taskId);
    if (task.status === 'cancelled') throw new TaskCancelledError(taskId);
    await store.updateTaskStatus(taskId, 'working', message);
  };
  try {
    await delay(0);
    const outcome = await work(step, taskId);
    await store.storeTaskResult(taskId, outcome.status, outcome.result);
  } catch (error) {
    if (error instanceof TaskCancelledError) return;
    try {
      const task = await store.getTask(taskId);
      if (task.status === 'cancelled') return;
      const message = error instanceof Error ? error.message : String(error);
      await store.storeTaskResult(taskId, 'failed', {
        ...text(`Error: ${message}`),
        isError: true,
      });
    } catch (storeError) {
      onError(storeError);
    }
  }
}
