import { expect } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type {
  CreateTaskRequestHandlerExtra,
  TaskMessageQueue,
  TaskRequestHandlerExtra,
  TaskStore,
} from '@modelcontextprotocol/sdk/experimental/tasks';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  type CallToolResult,
  ElicitRequestSchema,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

/** Poll interval of the fixture's tasks: short, so clients and `tasks/result` notice changes at once. */
export const POLL_MS = 5;

/** What a server needs for tasks: the two SDK interfaces this project implements. */
export interface TaskStorage {
  taskStore: TaskStore;
  taskMessageQueue: TaskMessageQueue;
}

/** A settable promise. */
class Deferred {
  readonly promise: Promise<void>;
  resolve: () => void = () => undefined;
  constructor() {
    this.promise = new Promise((resolve) => (this.resolve = resolve));
  }
}

/** Lets tests decide when the `work` tool finishes: its task waits for `release(label)`. */
export class Releases {
  private readonly gates = new Map<string, Deferred>();

  /** Resolves once `release(label)` has been called, before or after. */
  wait(label: string): Promise<void> {
    return this.gate(label).promise;
  }

  /** Lets the task labelled `label` finish. */
  release(label: string): void {
    this.gate(label).resolve();
  }

  private gate(label: string): Deferred {
    let gate = this.gates.get(label);
    if (!gate) {
      gate = new Deferred();
      this.gates.set(label, gate);
    }
    return gate;
  }
}

/** The tools' shared state: the releases the tests control and the errors background work met. */
export class ToolControls {
  readonly releases = new Releases();
  readonly backgroundErrors: unknown[] = [];
  private readonly running = new Set<Promise<void>>();

  /** Runs `work` after the tool call has answered, keeping any error for the test to inspect. */
  inBackground(work: () => Promise<void>): void {
    const run = Promise.resolve()
      .then(work)
      .catch((error: unknown) => {
        this.backgroundErrors.push(error);
      })
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** Resolves when every background work started so far has ended. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}

function text(value: string): CallToolResult {
  return { content: [{ type: 'text', text: value }] };
}

async function createTask(extra: CreateTaskRequestHandlerExtra) {
  return extra.taskStore.createTask({ ttl: extra.taskRequestedTtl, pollInterval: POLL_MS });
}

/** The handlers every task tool shares: the SDK answers tasks/get and tasks/result from the store. */
const taskHandlers = {
  getTask: async (_args: unknown, extra: TaskRequestHandlerExtra) =>
    extra.taskStore.getTask(extra.taskId),
  getTaskResult: async (_args: unknown, extra: TaskRequestHandlerExtra) =>
    (await extra.taskStore.getTaskResult(extra.taskId)) as CallToolResult,
};

/**
 * An `McpServer` with three task tools: `work` (reports each `progress` message as its status
 * message, then completes when the test releases its `label`), `fail` (ends in `failed` with an
 * error result) and `confirm` (asks the user through elicitation, so passes through `input_required`).
 */
export function createTaskServer(storage: TaskStorage, controls: ToolControls): McpServer {
  const server = new McpServer(
    { name: 'tasks-test-server', version: '1.0.0' },
    {
      capabilities: {
        tools: {},
        tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } },
      },
      taskStore: storage.taskStore,
      taskMessageQueue: storage.taskMessageQueue,
    },
  );
  server.experimental.tasks.registerToolTask(
    'work',
    { inputSchema: { label: z.string(), progress: z.array(z.string()) } },
    {
      ...taskHandlers,
      createTask: async ({ label, progress }, extra) => {
        const task = await createTask(extra);
        controls.inBackground(async () => {
          for (const message of progress) {
            await extra.taskStore.updateTaskStatus(task.taskId, 'working', message);
          }
          await controls.releases.wait(label);
          await extra.taskStore.storeTaskResult(task.taskId, 'completed', text(`${label} done`));
        });
        return { task };
      },
    },
  );
  server.experimental.tasks.registerToolTask(
    'fail',
    { inputSchema: { reason: z.string() } },
    {
      ...taskHandlers,
      createTask: async ({ reason }, extra) => {
        const task = await createTask(extra);
        controls.inBackground(() =>
          extra.taskStore.storeTaskResult(task.taskId, 'failed', {
            ...text(reason),
            isError: true,
          }),
        );
        return { task };
      },
    },
  );
  server.experimental.tasks.registerToolTask(
    'confirm',
    { inputSchema: { question: z.string() } },
    {
      ...taskHandlers,
      createTask: async ({ question }, extra) => {
        const task = await createTask(extra);
        controls.inBackground(async () => {
          await extra.taskStore.updateTaskStatus(task.taskId, 'input_required', 'waiting for you');
          const answer = await server.server.elicitInput(
            {
              mode: 'form',
              message: question,
              requestedSchema: {
                type: 'object',
                properties: { confirm: { type: 'boolean' } },
                required: ['confirm'],
              },
            },
            { relatedTask: { taskId: task.taskId } },
          );
          await extra.taskStore.updateTaskStatus(task.taskId, 'working', 'answer received');
          const verdict = answer.action === 'accept' && answer.content?.confirm === true;
          await extra.taskStore.storeTaskResult(
            task.taskId,
            'completed',
            text(verdict ? 'confirmed' : 'declined'),
          );
        });
        return { task };
      },
    },
  );
  return server;
}

/** A client that answers every elicitation with `confirm: true` and records the questions. */
export function createTestClient(questions: string[] = []): Client {
  const client = new Client(
    { name: 'tasks-test-client', version: '1.0.0' },
    { capabilities: { elicitation: { form: {} } } },
  );
  client.setRequestHandler(ElicitRequestSchema, async (request) => {
    questions.push(request.params.message);
    return { action: 'accept', content: { confirm: true } };
  });
  return client;
}

/** A connected client and what it takes to tear the connection down. */
export interface Connection {
  client: Client;
  /** Questions the client was asked through elicitation. */
  questions: string[];
  close(): Promise<void>;
}

/** Servers on one storage that clients connect to; every connection is a new session. */
export interface Harness {
  connect(): Promise<Connection>;
  close(): Promise<void>;
}

/** Starts a harness whose servers use `storage` and `controls`. */
export type StartHarness = (storage: TaskStorage, controls: ToolControls) => Promise<Harness>;

/** Connects a client to `createTaskServer` over the SDK's in-memory transport, one session each. */
export const startInMemoryHarness: StartHarness = async (storage, controls) => {
  const open = new Set<Connection>();
  return {
    connect: async () => {
      const server = createTaskServer(storage, controls);
      const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
      serverTransport.sessionId = randomUUID();
      await server.connect(serverTransport);
      const questions: string[] = [];
      const client = createTestClient(questions);
      await client.connect(clientTransport);
      const connection: Connection = {
        client,
        questions,
        close: async () => {
          open.delete(connection);
          await client.close();
          await server.close();
        },
      };
      open.add(connection);
      return connection;
    },
    close: async () => {
      for (const connection of [...open]) await connection.close();
    },
  };
};

/** The `McpError` that `promise` rejects with; fails the test when it resolves or rejects otherwise. */
export async function mcpErrorOf(promise: Promise<unknown>): Promise<McpError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(McpError);
  return error as McpError;
}
