import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  type CallToolResult,
  CallToolResultSchema,
  ElicitRequestSchema,
  McpError,
  type Task,
} from '@modelcontextprotocol/sdk/types.js';
import { isTerminal } from '@modelcontextprotocol/sdk/experimental/tasks';
import { duration, type Printer, shortId } from '../print.js';
import { TOOL_NAMES } from './tools.js';

/** The TTL the demo asks for; the store grants it (its maximum is 24 h). */
const REQUESTED_TTL_MS = 600_000;

/** A connected client of one user. */
export interface UserClient {
  user: string;
  client: Client;
  /** The questions the server asked this client through elicitation. */
  questions: string[];
  close(): Promise<void>;
}

/**
 * Connects to `url` as `user` (a bearer token the demo server takes as the user's name); the
 * client answers every confirmation the server asks for with yes.
 */
export async function connectAs(url: URL, user: string, print: Printer): Promise<UserClient> {
  const client = new Client(
    { name: `tasks-demo-client-${user}`, version: '0.1.0' },
    { capabilities: { elicitation: { form: {} } } },
  );
  const questions: string[] = [];
  client.setRequestHandler(ElicitRequestSchema, async (request) => {
    questions.push(request.params.message);
    print.line('client', `server asks "${request.params.message}": answering yes`);
    return { action: 'accept', content: { confirm: true } };
  });
  const transport = new StreamableHTTPClientTransport(url, {
    requestInit: { headers: { Authorization: `Bearer ${user}` } },
  });
  await client.connect(transport);
  return {
    user,
    client,
    questions,
    close: async () => {
      await transport.terminateSession();
      await client.close();
    },
  };
}

/** How one tool call ended. */
export interface TaskRun {
  /** The short name the demo prints for the run. */
  label: string;
  /** The task the call created. */
  taskId: string;
  /** The status the task ended in. */
  status: Task['status'];
}

/** What `followTool` may do on each status the stream reports. */
export type StatusHook = (task: Task, client: Client) => Promise<void>;

/**
 * Calls `tool` as a task through `callToolStream` and prints its life as it happens: creation,
 * each new status or status message, then the result (or the error result of a failed task).
 */
export async function followTool(
  { client }: UserClient,
  label: string,
  tool: string,
  args: Record<string, unknown>,
  print: Printer,
  onStatus: StatusHook = async () => undefined,
): Promise<TaskRun> {
  let taskId = '';
  let status: Task['status'] = 'working';
  let shown = '';
  const stream = client.experimental.tasks.callToolStream(
    { name: tool, arguments: args },
    CallToolResultSchema,
    { task: { ttl: REQUESTED_TTL_MS } },
  );
  for await (const event of stream) {
    if (event.type === 'taskCreated') {
      taskId = event.task.taskId;
      const { ttl, pollInterval } = event.task;
      print.line(
        label,
        `${tool} → task ${shortId(taskId)} created (${event.task.status}, ttl ${duration(ttl)}, poll every ${duration(pollInterval)})`,
      );
    } else if (event.type === 'taskStatus') {
      status = event.task.status;
      const message = isTerminal(status) ? '' : (event.task.statusMessage ?? '');
      const now = message === '' ? status : `${status}: ${message}`;
      if (now !== shown) print.line(label, now);
      shown = now;
      await onStatus(event.task, client);
    } else if (event.type === 'result') {
      status = 'completed';
      print.line(label, `result: ${textOf(event.result as CallToolResult)}`);
    } else {
      const task = await client.experimental.tasks.getTask(taskId);
      status = task.status;
      const detail =
        status === 'failed'
          ? await errorResultOf(client, taskId)
          : `no result (${task.statusMessage ?? event.error.message})`;
      print.line(label, detail);
    }
  }
  return { label, taskId, status };
}

/** Every task the user can see, page by page, newest first. */
export async function listAllTasks({ client }: UserClient): Promise<Task[]> {
  const tasks: Task[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.experimental.tasks.listTasks(cursor);
    tasks.push(...page.tasks);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return tasks;
}

/** The JSON-RPC error code the call fails with, or `undefined` when it succeeds. */
export async function errorCodeOf(call: Promise<unknown>): Promise<number | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    if (error instanceof McpError) return error.code;
    throw error;
  }
}

/** The names of the demo tools the server lists. */
export async function toolNames({ client }: UserClient): Promise<string[]> {
  return (await client.listTools()).tools.map((tool) => tool.name);
}

/** Whether the server lists every demo tool. */
export function hasDemoTools(names: string[]): boolean {
  return Object.values(TOOL_NAMES).every((name) => names.includes(name));
}

async function errorResultOf(client: Client, taskId: string): Promise<string> {
  const result = await client.experimental.tasks.getTaskResult(taskId, CallToolResultSchema);
  return `error result: ${textOf(result)}`;
}

function textOf(result: CallToolResult): string {
  return result.content.flatMap((item) => (item.type === 'text' ? [item.text] : [])).join(' ');
}
