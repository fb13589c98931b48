import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CreateTaskResultSchema, ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { GenericTaskStore, InMemoryBackend, recordKey, type StorageBackend } from '@tasks/core';
import { type BackendCall, GatedBackend } from '@tasks/core/testing';
import { McpTaskMessageQueue, McpTaskStore } from '../../src/sdk-v1/index.js';
import { createTaskServer, createTestClient, ToolControls } from './fixture.js';

/** Far below the 5 s the SDK's own task tests allow, and the 60 s of its request timeout. */
const SETTLE_BOUND_MS = 1_000;
/** The label of the `work` task the tests keep running until they end. */
const HELD = 'held';
/** Every session maps to this user, so both instances reach the same tasks. */
const USER = 'alice';
/** Any session id: every one is the same user's. */
const ANY_SESSION = 'any session';

const QUESTION = {
  mode: 'form' as const,
  message: 'Delete the file?',
  requestedSchema: {
    type: 'object' as const,
    properties: { confirm: { type: 'boolean' as const } },
    required: ['confirm'],
  },
};

/** One server instance: its own store and queue on a database it shares with the other instance. */
interface Instance {
  server: McpServer;
  client: Client;
  taskStore: McpTaskStore;
  gated: GatedBackend;
}

let controls: ToolControls;
const open: Instance[] = [];

beforeEach(() => {
  controls = new ToolControls();
});

/** Starts an instance on `database` (gated, so calls can be held) with a client connected to it. */
async function startInstance(database: StorageBackend): Promise<Instance> {
  const gated = new GatedBackend(database);
  const store = new GenericTaskStore({ backend: gated });
  const owners = { ownerOfSession: () => USER };
  const taskStore = new McpTaskStore({ store, ...owners });
  const server = createTaskServer(
    { taskStore, taskMessageQueue: new McpTaskMessageQueue({ store, ...owners }) },
    controls,
  );
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  serverTransport.sessionId = randomUUID();
  await server.connect(serverTransport);
  const client = createTestClient();
  await client.connect(clientTransport);
  const instance = { server, client, taskStore, gated };
  open.push(instance);
  return instance;
}

/** A `work` task that keeps running (working) until the test ends. */
async function runningTask(client: Client): Promise<string> {
  const created = await client.request(
    {
      method: 'tools/call',
      params: { name: 'work', arguments: { label: HELD, progress: [] }, task: { ttl: 60_000 } },
    },
    CreateTaskResultSchema,
  );
  return created.task.taskId;
}

/** The keys of the task and of its message queue, as the store names them. */
function keysOf(taskStore: McpTaskStore, taskId: string) {
  const owner = taskStore.ownerOf(ANY_SESSION);
  return { task: recordKey(owner, taskId), queue: recordKey(owner, taskId, 'queue') };
}

const readOf = (key: string) => (call: BackendCall) => call.method === 'get' && call.key === key;
const writeOf = (key: string) => (call: BackendCall) =>
  call.method === 'putIfVersion' && call.key === key;

/** How `promise` settles, failing the test when it has not within `SETTLE_BOUND_MS`. */
async function settlementOf(promise: Promise<unknown>): Promise<{ error?: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<{ error: Error }>((resolve) => {
    timer = setTimeout(
      () => resolve({ error: new Error(`still pending after ${SETTLE_BOUND_MS} ms`) }),
      SETTLE_BOUND_MS,
    );
  });
  try {
    return await Promise.race([
      promise.then(
        () => ({}),
        (error: unknown) => ({ error }),
      ),
      bound,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Lets everything already able to run, run (the stores here use no timers). */
function drained(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

afterEach(async () => {
  controls.releases.release(HELD);
  await controls.settled();
  for (const instance of open.splice(0)) {
    await instance.client.close();
    await instance.server.close();
  }
});

describe('an elicitation enqueued for a task at the moment the task is cancelled (real MCP SDK 1.x)', () => {
  it('is rejected with -32602 when the cancel lands between the enqueue’s check of the task and its write', async () => {
    const { server, client, taskStore, gated } = await startInstance(new InMemoryBackend());
    const taskId = await runningTask(client);
    const keys = keysOf(taskStore, taskId);
    const checked = gated.hold(readOf(keys.task), 'after');
    const cleared = gated.hold(readOf(keys.queue), 'after');
    const asked = server.server.elicitInput(QUESTION, { relatedTask: { taskId } });
    await checked.reached;
    expect(await client.experimental.tasks.cancelTask(taskId)).toMatchObject({
      status: 'cancelled',
    });
    await cleared.reached;
    cleared.release();
    await drained();
    checked.release();
    const { error } = await settlementOf(asked);
    expect(error).toBeInstanceOf(McpError);
    expect(error).toMatchObject({ code: ErrorCode.InvalidParams });
    expect((error as Error).message).toContain("the task ended in status 'cancelled'");
    expect(await taskStore.store.get(taskStore.ownerOf(ANY_SESSION), taskId)).toMatchObject({
      status: 'cancelled',
    });
  });

  it('is rejected with -32602 when another instance cancels in that moment', async () => {
    const database = new InMemoryBackend();
    const a = await startInstance(database);
    const b = await startInstance(database);
    const taskId = await runningTask(a.client);
    const keys = keysOf(a.taskStore, taskId);
    const checked = a.gated.hold(readOf(keys.task), 'after');
    const cleared = b.gated.hold(readOf(keys.queue), 'after');
    const asked = a.server.server.elicitInput(QUESTION, { relatedTask: { taskId } });
    await checked.reached;
    expect(await b.client.experimental.tasks.cancelTask(taskId)).toMatchObject({
      status: 'cancelled',
    });
    await cleared.reached;
    cleared.release();
    await drained();
    checked.release();
    const { error } = await settlementOf(asked);
    expect(error).toBeInstanceOf(McpError);
    expect(error).toMatchObject({ code: ErrorCode.InvalidParams });
    const queue = new McpTaskMessageQueue({ store: a.taskStore.store, ownerOfSession: () => USER });
    expect(await queue.dequeueAll(taskId, ANY_SESSION)).toEqual([]);
  });

  it('is answered with the SDK’s own -32603 when its message was queued just before the cancel', async () => {
    const { server, client, taskStore, gated } = await startInstance(new InMemoryBackend());
    const taskId = await runningTask(client);
    const written = gated.hold(writeOf(keysOf(taskStore, taskId).queue), 'after');
    const asked = server.server.elicitInput(QUESTION, { relatedTask: { taskId } });
    await written.reached;
    written.release();
    await drained();
    await client.experimental.tasks.cancelTask(taskId);
    const { error } = await settlementOf(asked);
    expect(error).toBeInstanceOf(McpError);
    expect(error).toMatchObject({ code: ErrorCode.InternalError });
    expect((error as Error).message).toContain('Task cancelled or completed');
  });
});
