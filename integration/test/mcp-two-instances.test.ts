import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CallToolResultSchema,
  CreateTaskResultSchema,
  ElicitRequestSchema,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import { runEndpoint } from './support/run-endpoint.js';
import { useTestTable } from './support/table.js';

const EXAMPLE_DIRECTORY = path.resolve(__dirname, '../../examples/mcp-server');
const EXAMPLE_MAIN = path.join(EXAMPLE_DIRECTORY, 'src/main.ts');
const START_TIMEOUT_MS = 60_000;

/** One example server process. */
interface ServerProcess {
  url: URL;
  /** Stops the process (by its PID) and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Starts `examples/mcp-server` serving 2025-11-25 (`--protocol 2025-11-25`, SDK 1.x) as a
 * separate Node process on a free loopback port, storing tasks
 * in `tableName` at `endpoint`, and waits for the line announcing its URL.
 */
function startServerProcess(endpoint: string, tableName: string): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      EXAMPLE_MAIN,
      '--protocol',
      '2025-11-25',
      '--port',
      '0',
      '--backend',
      'dynamodb',
      '--endpoint',
      endpoint,
      '--table',
      tableName,
      '--step-ms',
      '100',
    ],
    {
      cwd: EXAMPLE_DIRECTORY,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  return new Promise((resolve, reject) => {
    const fail = (reason: string) => {
      clearTimeout(timer);
      stopProcess(child, exited).finally(() =>
        reject(new Error(`${reason}; its output:\n${output}`)),
      );
    };
    const timer = setTimeout(
      () => fail('the example server did not start in time'),
      START_TIMEOUT_MS,
    );
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      resolve({ url: new URL(match[1]), stop: () => stopProcess(child, exited) });
    });
    child.once('exit', (code) => fail(`the example server exited with code ${String(code)}`));
  });
}

/** Sends SIGTERM to the child's PID, SIGKILL if it has not exited after 5 s. */
async function stopProcess(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(killer);
}

/**
 * A client of `url` that authenticates as `user` (the example takes the bearer token as the user)
 * and answers every confirmation the server asks for with yes.
 */
async function connectAs(url: URL, user: string): Promise<Client> {
  const client = new Client(
    { name: `two-instances-${user}`, version: '1.0.0' },
    { capabilities: { elicitation: { form: {} } } },
  );
  client.setRequestHandler(ElicitRequestSchema, async () => ({
    action: 'accept',
    content: { confirm: true },
  }));
  await client.connect(
    new StreamableHTTPClientTransport(url, {
      requestInit: { headers: { Authorization: `Bearer ${user}` } },
    }),
  );
  return client;
}

async function startReport(client: Client, topic: string, steps: number): Promise<string> {
  const created = await client.request(
    {
      method: 'tools/call',
      params: { name: 'generate_report', arguments: { topic, steps }, task: { ttl: 600_000 } },
    },
    CreateTaskResultSchema,
  );
  return created.task.taskId;
}

async function errorCodeOf(call: Promise<unknown>): Promise<number | undefined> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  return error instanceof McpError ? error.code : undefined;
}

describe('two 2025-11-25 MCP server processes sharing one DynamoDB table', () => {
  const table = useTestTable('mcp-two');
  const servers: ServerProcess[] = [];
  const clients: Client[] = [];

  beforeAll(async () => {
    const { tableName } = table();
    servers.push(
      ...(await Promise.all([
        startServerProcess(runEndpoint(), tableName),
        startServerProcess(runEndpoint(), tableName),
      ])),
    );
  }, 2 * START_TIMEOUT_MS);

  afterAll(async () => {
    for (const client of clients) await client.close();
    await Promise.all(servers.map((server) => server.stop()));
  });

  async function connect(server: ServerProcess | undefined, user: string): Promise<Client> {
    if (!server) throw new Error('the servers are started in beforeAll');
    const client = await connectAs(server.url, user);
    clients.push(client);
    return client;
  }

  it('lets instance B poll, list, fetch the result of and cancel tasks created through instance A', async () => {
    const [a, b] = servers;
    const viaA = await connect(a, 'carol');
    const viaB = await connect(b, 'carol');
    const quick = await startReport(viaA, 'shared work', 2);
    const slow = await startReport(viaA, 'long work', 100);

    const result = await viaB.experimental.tasks.getTaskResult(quick, CallToolResultSchema);
    expect(result).toMatchObject({
      content: [{ type: 'text', text: 'Report on shared work: 2 sections, all figures checked.' }],
    });
    expect(await viaB.experimental.tasks.getTask(quick)).toMatchObject({
      taskId: quick,
      status: 'completed',
    });
    expect(await viaB.experimental.tasks.getTask(slow)).toMatchObject({
      taskId: slow,
      status: 'working',
      statusMessage: expect.stringMatching(/^step \d+ of 100: /),
    });

    const listed = await viaB.experimental.tasks.listTasks();
    expect(listed.tasks.map((task) => task.taskId).sort()).toEqual([quick, slow].sort());

    expect(await viaB.experimental.tasks.cancelTask(slow)).toMatchObject({
      taskId: slow,
      status: 'cancelled',
    });
    expect(await viaA.experimental.tasks.getTask(slow)).toMatchObject({ status: 'cancelled' });
    expect(await errorCodeOf(viaA.experimental.tasks.cancelTask(slow))).toBe(-32602);
  });

  it('keeps another user out on either instance', async () => {
    const [a, b] = servers;
    const owner = await connect(a, 'erin');
    const taskId = await startReport(owner, 'private work', 2);
    for (const server of [a, b]) {
      const stranger = await connect(server, 'mallory');
      expect((await stranger.experimental.tasks.listTasks()).tasks).toEqual([]);
      expect(await errorCodeOf(stranger.experimental.tasks.getTask(taskId))).toBe(-32602);
      expect(await errorCodeOf(stranger.experimental.tasks.cancelTask(taskId))).toBe(-32602);
    }
    expect(
      await owner.experimental.tasks.getTaskResult(taskId, CallToolResultSchema),
    ).toMatchObject({
      content: [{ type: 'text', text: 'Report on private work: 2 sections, all figures checked.' }],
    });
  });

  it('carries a question to the user through the durable message queue on DynamoDB', async () => {
    const [a, b] = servers;
    const viaA = await connect(a, 'frank');
    const statuses: string[] = [];
    let taskId = '';
    const stream = viaA.experimental.tasks.callToolStream(
      { name: 'cleanup_workspace', arguments: { path: '/work/tmp' } },
      CallToolResultSchema,
      { task: { ttl: 600_000 } },
    );
    for await (const event of stream) {
      if (event.type === 'taskCreated') taskId = event.task.taskId;
      if (event.type === 'taskStatus') statuses.push(event.task.status);
    }
    expect(statuses).toContain('input_required');
    const viaB = await connect(b, 'frank');
    expect(await viaB.experimental.tasks.getTaskResult(taskId, CallToolResultSchema)).toMatchObject(
      {
        content: [{ type: 'text', text: 'Deleted 3 temporary files in /work/tmp.' }],
      },
    );
  });
});
