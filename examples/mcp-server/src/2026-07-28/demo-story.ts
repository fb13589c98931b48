import type { ApplicationInputHandler } from '@modelcontextprotocol/ext-tasks/client';
import { type Printer, shortId } from '../print.js';
import { connectPlainClient, connectTasksClient, type TasksClient } from './client.js';
import { type FollowedTask, followTool, textOf } from './follow.js';
import { TOOL_NAMES, UPSTREAM_UNAVAILABLE_CODE } from './tools.js';

/** What the 2026-07-28 demo saw, for the summary and its checks. */
export interface TasksDemoOutcome {
  /** How each of alice's tool calls ended. */
  runs: FollowedTask[];
  /** The questions tasks asked alice (through `inputRequests`). */
  questions: string[];
  /** The error code bob gets for one of alice's task ids. */
  otherUserLookupCode: number | undefined;
  /** The error code a client without the tasks extension gets for a tool that needs a task. */
  withoutExtensionCode: number | undefined;
  /** Whether such a client got `lookup_customer`'s error result inline. */
  withoutExtensionInline: boolean;
}

/** How each of alice's calls must end. */
export const EXPECTED: Readonly<Record<string, Pick<FollowedTask, 'status' | 'isError'>>> = {
  report: { status: 'completed', isError: false },
  import: { status: 'failed', isError: false },
  lookup: { status: 'completed', isError: true },
  cleanup: { status: 'completed', isError: false },
  archive: { status: 'cancelled', isError: false },
};

/**
 * Drives the server at `url` with the official client (`@modelcontextprotocol/client` 2.x and
 * `@modelcontextprotocol/ext-tasks`): alice runs five tools as tasks side by side (a report with
 * progress, an import ending in a JSON-RPC error, a lookup whose result has `isError: true`, a
 * clean-up that asks her to confirm, a long report she cancels); bob looks for one of her tasks; a
 * client without the tasks extension calls two tools.
 */
export async function runTasksDemoStory(url: URL, print: Printer): Promise<TasksDemoOutcome> {
  const questions: string[] = [];
  const labels = new Map<string, string>();
  const answer: ApplicationInputHandler<unknown>['handle'] = async (request, context) => {
    const message = String(request.params?.message ?? request.kind);
    questions.push(message);
    const label = labels.get(context.taskId ?? '') ?? 'alice';
    print.line(label, `input requested: "${message}" → alice answers yes (tasks/update)`);
    return { action: 'accept', content: { confirm: true } } as never;
  };
  const alice = await connectTasksClient(url, 'alice', answer);
  try {
    print.heading('alice connects (server/discover) and lists the tools');
    const extensions = Object.keys(alice.client.getServerCapabilities()?.extensions ?? {});
    print.line('alice', `server extensions: ${extensions.join(', ')}`);
    const names = (await alice.client.listTools()).tools.map((tool) => tool.name);
    print.line('alice', `tools: ${names.join(', ')}`);
    const missing = Object.values(TOOL_NAMES).filter((name) => !names.includes(name));
    if (missing.length > 0) throw new Error(`the server does not list ${missing.join(', ')}`);

    print.heading('alice calls five tools as tasks, side by side');
    const runs = await runTools(alice, labels, print);

    print.heading('who else can reach them');
    const otherUserLookupCode = await lookupAsBob(url, runs[0] as FollowedTask, print);
    const plain = await callWithoutExtension(url, print);
    return { runs, questions, otherUserLookupCode, ...plain };
  } finally {
    await alice.close();
  }
}

async function runTools(
  alice: TasksClient,
  labels: Map<string, string>,
  print: Printer,
): Promise<FollowedTask[]> {
  let cancelling = false;
  const follow = (label: string, tool: string, args: Record<string, string | number>) =>
    followTool(alice, label, tool, args, print, async (task, execution) => {
      labels.set(task.taskId, label);
      if (label !== 'archive' || cancelling || task.status !== 'working') return;
      const step = Number(/^step (\d+) /.exec(task.statusMessage ?? '')?.[1] ?? 0);
      if (step < 2) return;
      cancelling = true;
      print.line('alice', `changed her mind: tasks/cancel ${shortId(task.taskId)}`);
      await execution.cancel();
    });
  return Promise.all([
    follow('report', TOOL_NAMES.report, { topic: 'Q3 sales', steps: 5 }),
    follow('import', TOOL_NAMES.importOrders, { source: 'the orders API' }),
    follow('lookup', TOOL_NAMES.lookup, { customerId: 'c-404' }),
    follow('cleanup', TOOL_NAMES.cleanup, { path: '/tmp/demo' }),
    follow('archive', TOOL_NAMES.report, { topic: 'ten years of logs', steps: 20 }),
  ]);
}

/** Bob asks for one of alice's tasks: the answer must not tell it exists. */
async function lookupAsBob(
  url: URL,
  { taskId }: FollowedTask,
  print: Printer,
): Promise<number | undefined> {
  const bob = await connectTasksClient(url, 'bob');
  try {
    const code = await errorCodeOf(bob.session.task(taskId).snapshot());
    print.line(
      'bob',
      `tasks/get ${shortId(taskId)} (alice's) → error ${String(code)} (Task not found)`,
    );
    return code;
  } finally {
    await bob.close();
  }
}

/** A client without the tasks extension: `-32021` for a task-only tool, an inline result otherwise. */
async function callWithoutExtension(
  url: URL,
  print: Printer,
): Promise<Pick<TasksDemoOutcome, 'withoutExtensionCode' | 'withoutExtensionInline'>> {
  const carol = await connectPlainClient(url, 'carol');
  try {
    const report = { name: TOOL_NAMES.report, arguments: { topic: 'Q4', steps: 1 } };
    const withoutExtensionCode = await errorCodeOf(carol.callTool(report));
    print.line(
      'carol',
      `without the tasks extension: ${TOOL_NAMES.report} → error ${String(withoutExtensionCode)} (missing capability)`,
    );
    const lookup = await carol.callTool({
      name: TOOL_NAMES.lookup,
      arguments: { customerId: 'c-1' },
    });
    const withoutExtensionInline = lookup.isError === true;
    print.line(
      'carol',
      `${TOOL_NAMES.lookup} runs inline → result (isError: ${String(lookup.isError)}): ${textOf(lookup)}`,
    );
    return { withoutExtensionCode, withoutExtensionInline };
  } finally {
    await carol.close();
  }
}

/** The JSON-RPC error code `call` fails with, or `undefined` when it succeeds. */
async function errorCodeOf(call: Promise<unknown>): Promise<number | undefined> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (error === undefined) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'number') throw error;
  return code;
}

/** What is wrong with the outcome; empty when the demo went as it should. */
export function problemsOf(outcome: TasksDemoOutcome): string[] {
  const problems: string[] = [];
  for (const run of outcome.runs) {
    const expected = EXPECTED[run.label];
    if (run.status !== expected?.status) {
      problems.push(`${run.label} ended ${run.status}, not ${String(expected?.status)}`);
    } else if (run.isError !== expected.isError) {
      problems.push(`${run.label}'s result has isError ${String(run.isError)}`);
    }
  }
  const failed = outcome.runs.find((run) => run.label === 'import');
  if (failed?.error?.code !== UPSTREAM_UNAVAILABLE_CODE) {
    problems.push(
      `import failed with ${String(failed?.error?.code)}, not ${UPSTREAM_UNAVAILABLE_CODE}`,
    );
  }
  if (outcome.questions.length !== 1) {
    problems.push(`${outcome.questions.length} questions asked, not 1`);
  }
  if (outcome.otherUserLookupCode !== -32602) {
    problems.push(`bob's lookup answered ${String(outcome.otherUserLookupCode)}, not -32602`);
  }
  if (outcome.withoutExtensionCode !== -32021) {
    problems.push(
      `a client without the extension got ${String(outcome.withoutExtensionCode)}, not -32021`,
    );
  }
  if (!outcome.withoutExtensionInline) problems.push('lookup_customer did not run inline');
  return problems;
}

/** Prints the summary lines of a 2026-07-28 demo run. */
export function printTasksSummary(outcome: TasksDemoOutcome, print: Printer): void {
  const count = (status: FollowedTask['status']) =>
    outcome.runs.filter((run) => run.status === status).length;
  const withError = outcome.runs.filter((run) => run.isError).length;
  print.detail(
    `tasks        ${outcome.runs.length} created: ${count('completed')} completed (${withError} with isError: true), ${count('failed')} failed (JSON-RPC error), ${count('cancelled')} cancelled`,
  );
  print.detail(
    `input        ${outcome.questions.length} question asked through inputRequests, answered with tasks/update`,
  );
  print.detail(`owners       bob gets ${String(outcome.otherUserLookupCode)} for alice's task id`);
  print.detail(
    `extension    without it: ${String(outcome.withoutExtensionCode)} for a task-only tool, the optional one runs inline`,
  );
}
