import { setTimeout as delay } from 'node:timers/promises';
import { type CallToolResult, ProtocolError } from '@modelcontextprotocol/server';
import type { InputRequest } from '@tasks/core';
import type { McpTasksServer, TaskToolContext, TaskToolHandler } from '@tasks/mcp';
import * as z from 'zod/v4';

/** How the demo tools pace their work and report what their handlers see. */
export interface DemoToolOptions {
  /** How long one step of work takes, in ms. */
  stepMs: number;
  /** The name of the process running the handlers, written into every progress message. */
  instance: string;
  /** Told what a handler saw: a cancel or a lost lease (its signal), the user's answer. */
  log: (line: string) => void;
}

/** The names of the demo tools. */
export const TOOL_NAMES = {
  report: 'generate_report',
  importOrders: 'import_orders',
  lookup: 'lookup_customer',
  cleanup: 'cleanup_workspace',
} as const;

/** The JSON-RPC error code `import_orders` fails with (a server error of this application). */
export const UPSTREAM_UNAVAILABLE_CODE = -32000;

const REPORT_ACTIVITIES = [
  'collecting sources',
  'reading documents',
  'extracting figures',
  'cross-checking numbers',
  'drafting sections',
  'formatting the report',
];

/** The confirmation `cleanup_workspace` asks for: an elicitation form with one boolean. */
function confirmation(path: string): InputRequest {
  return {
    method: 'elicitation/create',
    params: {
      mode: 'form',
      message: `Delete 3 temporary files in ${path}?`,
      requestedSchema: {
        type: 'object',
        properties: { confirm: { type: 'boolean', title: 'Delete them' } },
        required: ['confirm'],
      },
    },
  };
}

function text(value: string): CallToolResult {
  return { content: [{ type: 'text', text: value }] };
}

/**
 * Registers the demo's four tools on `tasks` (each logs the moment its handler's signal fires):
 * - `generate_report` works for `steps` steps, each in the status message, then completes;
 * - `import_orders` ends with a JSON-RPC error: its task reads `failed` with that error;
 * - `lookup_customer` finds nobody: its task completes with a result with `isError: true`;
 * - `cleanup_workspace` asks the user to confirm (an elicitation form) mid-task.
 */
export function registerDemoTools(tasks: McpTasksServer, options: DemoToolOptions): void {
  const { stepMs, instance } = options;
  const step = (ctx: TaskToolContext) => delay(stepMs, undefined, { signal: ctx.signal });
  const progress = (ctx: TaskToolContext, message: string) =>
    ctx.reportStatus(`${message} (instance ${instance})`);
  const watching =
    (handler: TaskToolHandler): TaskToolHandler =>
    (args, ctx) =>
      watched(ctx, options.log, async () => handler(args, ctx));
  tasks
    .tool(
      TOOL_NAMES.report,
      {
        title: 'Generate a report',
        description: 'Works for a few seconds, reporting progress, then returns a report.',
        inputSchema: z.object({ topic: z.string(), steps: z.number().int().min(1).max(100) }),
      },
      watching(async ({ topic, steps }, ctx) => {
        const count = Number(steps);
        for (let index = 0; index < count; index += 1) {
          const activity = REPORT_ACTIVITIES[index % REPORT_ACTIVITIES.length];
          await progress(ctx, `step ${index + 1} of ${count}: ${activity}`);
          await step(ctx);
        }
        return text(`Report on ${String(topic)}: ${count} sections, all figures checked.`);
      }),
      'required',
    )
    .tool(
      TOOL_NAMES.importOrders,
      {
        title: 'Import orders',
        description: 'Tries to import orders from a source that is down: a JSON-RPC error.',
        inputSchema: z.object({ source: z.string() }),
      },
      watching(async ({ source }, ctx) => {
        await progress(ctx, `connecting to ${String(source)}`);
        await step(ctx);
        throw new ProtocolError(
          UPSTREAM_UNAVAILABLE_CODE,
          `Import failed: ${String(source)} answered 503 Service Unavailable`,
          { source, httpStatus: 503 },
        );
      }),
      'required',
    )
    .tool(
      TOOL_NAMES.lookup,
      {
        title: 'Look up a customer',
        description: 'Looks a customer up; an unknown id is a tool error (isError: true).',
        inputSchema: z.object({ customerId: z.string() }),
      },
      watching(async ({ customerId }, ctx) => {
        await progress(ctx, `searching the CRM for ${String(customerId)}`);
        await step(ctx);
        return { ...text(`No customer with id ${String(customerId)}`), isError: true };
      }),
      'optional',
    )
    .tool(
      TOOL_NAMES.cleanup,
      {
        title: 'Clean up a workspace',
        description: 'Finds temporary files and asks the user before deleting them.',
        inputSchema: z.object({ path: z.string() }),
      },
      watching(async ({ path }, ctx) => {
        await progress(ctx, `scanning ${String(path)}`);
        await step(ctx);
        const { confirm } = await ctx.requestInput(
          { confirm: confirmation(String(path)) },
          'waiting for confirmation',
        );
        const confirmed = isAccepted(confirm);
        options.log(`task ${ctx.taskId ?? '(inline)'}: input received (confirm: ${confirmed})`);
        await progress(ctx, confirmed ? 'deleting 3 files' : 'keeping the files');
        await step(ctx);
        return text(
          confirmed ? `Deleted 3 temporary files in ${String(path)}.` : 'Nothing deleted.',
        );
      }),
      'required',
    );
}

/**
 * Runs a handler's work, logging the moment its signal fires while it runs: a cancel, the task
 * ending elsewhere, or a lost lease.
 */
async function watched<T>(
  ctx: TaskToolContext,
  log: (line: string) => void,
  work: () => Promise<T>,
): Promise<T> {
  const onAbort = () => {
    const reason = (ctx.signal.reason as { reason?: unknown } | undefined)?.reason;
    log(`task ${ctx.taskId ?? '(inline)'}: handler stopped (${String(reason ?? 'aborted')})`);
  };
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await work();
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
  }
}

/** Whether an elicitation response accepted with `confirm: true`. */
function isAccepted(response: unknown): boolean {
  const { action, content } = (response ?? {}) as { action?: unknown; content?: unknown };
  return action === 'accept' && (content as { confirm?: unknown } | undefined)?.confirm === true;
}
