import type { Task } from '@modelcontextprotocol/sdk/types.js';
import {
  connectAs,
  errorCodeOf,
  followTool,
  hasDemoTools,
  listAllTasks,
  type TaskRun,
  toolNames,
  type UserClient,
} from './demo-client.js';
import { type Printer, shortId } from '../print.js';
import { TOOL_NAMES } from './tools.js';

/** What the demo saw, for the summary and its checks. */
export interface DemoOutcome {
  runs: TaskRun[];
  /** The tasks alice listed after the runs. */
  listed: Task[];
  /** Questions the server asked through elicitation. */
  questions: string[];
  /** How many tasks alice sees from a second session. */
  secondSessionSees: number;
  /** How many of alice's tasks bob sees. */
  otherUserSees: number;
  /** The error code bob gets for one of alice's task ids. */
  otherUserLookupCode: number | undefined;
}

/** The final status each run of the demo must reach. */
export const EXPECTED_STATUSES: Readonly<Record<string, Task['status']>> = {
  report: 'completed',
  import: 'failed',
  cleanup: 'completed',
  archive: 'cancelled',
};

/**
 * Drives the demo server at `url` with the SDK client: alice runs four tools as tasks (one
 * completes with progress, one fails, one asks her to confirm, one she cancels), lists her tasks,
 * then a second session of hers and a session of bob look for them.
 */
export async function runDemoStory(url: URL, print: Printer): Promise<DemoOutcome> {
  const alice = await connectAs(url, 'alice', print);
  const opened: UserClient[] = [alice];
  try {
    print.heading('alice connects and lists the tools');
    const names = await toolNames(alice);
    print.line('alice', `tools: ${names.join(', ')}`);
    if (!hasDemoTools(names))
      throw new Error(`the server lists unexpected tools: ${names.join(', ')}`);

    print.heading('alice calls four tools as tasks (callToolStream), side by side');
    const runs = await runTools(alice, print);

    print.heading('alice lists her tasks (tasks/list, page by page)');
    const listed = await listAllTasks(alice);
    for (const task of listed) {
      print.detail(
        `${shortId(task.taskId)}  ${task.status.padEnd(10)} ${task.statusMessage ?? ''}`,
      );
    }

    print.heading('who else can see them');
    const secondSession = await connectAs(url, 'alice', print);
    opened.push(secondSession);
    const secondSessionSees = (await listAllTasks(secondSession)).length;
    print.line('alice', `a second session of alice lists ${secondSessionSees} tasks`);
    const bob = await connectAs(url, 'bob', print);
    opened.push(bob);
    const otherUserSees = (await listAllTasks(bob)).length;
    const probe = runs[0]?.taskId ?? '';
    const otherUserLookupCode = await errorCodeOf(bob.client.experimental.tasks.getTask(probe));
    print.line(
      'bob',
      `lists ${otherUserSees} tasks; tasks/get ${shortId(probe)} → error ${otherUserLookupCode} (not found)`,
    );
    return {
      runs,
      listed,
      questions: alice.questions,
      secondSessionSees,
      otherUserSees,
      otherUserLookupCode,
    };
  } finally {
    for (const client of opened) await client.close();
  }
}

async function runTools(alice: UserClient, print: Printer): Promise<TaskRun[]> {
  let cancelling = false;
  return Promise.all([
    followTool(alice, 'report', TOOL_NAMES.report, { topic: 'Q3 sales', steps: 5 }, print),
    followTool(alice, 'import', TOOL_NAMES.importOrders, { source: 'the orders API' }, print),
    followTool(alice, 'cleanup', TOOL_NAMES.cleanup, { path: '/tmp/demo' }, print),
    followTool(
      alice,
      'archive',
      TOOL_NAMES.report,
      { topic: 'ten years of logs', steps: 20 },
      print,
      async (task, client) => {
        const step = Number(/^step (\d+) /.exec(task.statusMessage ?? '')?.[1] ?? 0);
        if (cancelling || task.status !== 'working' || step < 2) return;
        cancelling = true;
        print.line('alice', `changed her mind: tasks/cancel ${shortId(task.taskId)}`);
        const cancelled = await client.experimental.tasks.cancelTask(task.taskId);
        print.line('alice', `tasks/cancel → ${cancelled.status}`);
      },
    ),
  ]);
}

/** What is wrong with the outcome; empty when the demo went as it should. */
export function problemsOf(outcome: DemoOutcome): string[] {
  const problems: string[] = [];
  for (const run of outcome.runs) {
    const expected = EXPECTED_STATUSES[run.label];
    if (run.status !== expected) problems.push(`${run.label} ended ${run.status}, not ${expected}`);
  }
  const listedIds = new Set(outcome.listed.map((task) => task.taskId));
  if (
    listedIds.size !== outcome.runs.length ||
    !outcome.runs.every((run) => listedIds.has(run.taskId))
  ) {
    problems.push(
      `tasks/list returned ${outcome.listed.length} tasks, not the ${outcome.runs.length} created`,
    );
  }
  if (outcome.questions.length !== 1)
    problems.push(`${outcome.questions.length} questions asked, not 1`);
  if (outcome.secondSessionSees !== outcome.runs.length) {
    problems.push(`a second session of alice sees ${outcome.secondSessionSees} tasks`);
  }
  if (outcome.otherUserSees !== 0)
    problems.push(`bob sees ${outcome.otherUserSees} of alice's tasks`);
  if (outcome.otherUserLookupCode !== -32602) {
    problems.push(
      `bob's lookup of alice's task answered ${String(outcome.otherUserLookupCode)}, not -32602`,
    );
  }
  return problems;
}

/** Prints the summary of a demo run. */
export function printSummary(outcome: DemoOutcome, storage: string, print: Printer): void {
  const count = (status: Task['status']) =>
    outcome.runs.filter((run) => run.status === status).length;
  print.heading('Summary');
  print.detail(`storage      ${storage}`);
  print.detail(
    `tasks        ${outcome.runs.length} created: ${count('completed')} completed, ${count('failed')} failed, ${count('cancelled')} cancelled`,
  );
  print.detail(
    `elicitation  ${outcome.questions.length} question answered while its task was input_required`,
  );
  print.detail(
    `owners       alice sees her ${outcome.secondSessionSees} tasks from a second session; bob sees ${outcome.otherUserSees} and gets ${String(outcome.otherUserLookupCode)} for her task id`,
  );
  print.detail(`time         ${print.elapsedSeconds().toFixed(1)} s`);
}
