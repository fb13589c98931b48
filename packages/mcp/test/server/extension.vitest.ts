import { resultFromTaskOutcome } from '@modelcontextprotocol/ext-tasks/client';
import { ProtocolError } from '@modelcontextprotocol/server';
import { GenericTaskStore, InMemoryBackend } from '@tasks/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/v4';
import type { McpTasksServer } from '../../src/index.js';
import { connect, connectPlain, type RunningServer, startServer } from './harness.js';

const ELICIT_NAME = {
  method: 'elicitation/create',
  params: {
    mode: 'form',
    message: 'Your name?',
    requestedSchema: {
      type: 'object',
      properties: { name: { type: 'string' } },
      required: ['name'],
    },
  },
};

/** The demo's kinds of tools, with short steps so the tests run fast on real time. */
function registerTools(tasks: McpTasksServer): void {
  tasks
    .tool(
      'report',
      { description: 'A long report with progress', inputSchema: z.object({ steps: z.number() }) },
      async ({ steps }, ctx) => {
        for (let step = 1; step <= Number(steps); step += 1) {
          await ctx.reportStatus(`step ${step} of ${String(steps)}`);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        return { content: [{ type: 'text', text: `report with ${String(steps)} steps` }] };
      },
      'required',
    )
    .tool(
      'broken',
      { description: 'Ends with a JSON-RPC error' },
      async () => {
        throw new ProtocolError(-32000, 'Upstream service refused', { retryAfterMs: 500 });
      },
      'required',
    )
    .tool(
      'lookup',
      { description: 'Ends with a tool error (isError: true)' },
      async () => ({ content: [{ type: 'text', text: 'no such record' }], isError: true }),
      'optional',
    )
    .tool(
      'greet',
      { description: 'Asks for a name mid-task' },
      async (_args, ctx) => {
        const { name } = await ctx.requestInput({ name: ELICIT_NAME }, 'Waiting for a name');
        const content = (name as { content?: { name?: string } }).content;
        return { content: [{ type: 'text', text: `Hello, ${content?.name ?? 'stranger'}!` }] };
      },
      'required',
    )
    .tool(
      'forever',
      { description: 'Runs until cancelled' },
      async (_args, ctx) => {
        await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
        return { content: [{ type: 'text', text: 'stopped' }] };
      },
      'required',
    )
    .tool(
      'echo',
      { description: 'Never a task', inputSchema: z.object({ text: z.string() }) },
      async ({ text }) => ({ content: [{ type: 'text', text: String(text) }] }),
      'forbidden',
    );
}

describe('the tasks extension over Streamable HTTP with the official ext-tasks client', () => {
  let server: RunningServer;

  beforeAll(async () => {
    const store = new GenericTaskStore({
      backend: new InMemoryBackend(),
      defaultPollIntervalMs: 20,
    });
    server = await startServer(
      { store, watchIntervalMs: 20, leaseMs: 5_000, onError: () => undefined },
      registerTools,
    );
  });

  afterAll(async () => {
    await server.close();
  });

  it('advertises io.modelcontextprotocol/tasks in server/discover', async () => {
    const alice = await connect(server.url, 'alice');
    try {
      expect(alice.client.getServerCapabilities()?.extensions).toEqual({
        'io.modelcontextprotocol/tasks': {},
      });
    } finally {
      await alice.close();
    }
  });

  it('runs a tool as a task to completion, with progress on the way', async () => {
    const alice = await connect(server.url, 'alice');
    try {
      const execution = await alice.session.callTool('report', { steps: 3 });
      expect(execution.kind).toBe('task');
      const statuses: string[] = [];
      const { outcome } = await execution.settle({
        onEvent: (event) => {
          if (event.type === 'task') statuses.push(event.task.status);
        },
      });
      expect(outcome.status).toBe('completed');
      expect(resultFromTaskOutcome(outcome)).toMatchObject({
        content: [{ type: 'text', text: 'report with 3 steps' }],
      });
      expect(statuses.at(-1)).toBe('completed');
    } finally {
      await alice.close();
    }
  });

  it('ends a tool that throws a JSON-RPC error as failed with that error', async () => {
    const alice = await connect(server.url, 'alice');
    try {
      const execution = await alice.session.callTool('broken', {});
      const { outcome, lastTask } = await execution.settle();
      expect(outcome.status).toBe('failed');
      expect(lastTask).toMatchObject({ status: 'failed' });
      if (execution.kind !== 'task') throw new Error('expected a task');
      const raw = await alice.session.task(execution.handle.taskId).snapshot();
      expect(raw).toMatchObject({ status: 'failed' });
    } finally {
      await alice.close();
    }
  });

  it('keeps a tool result with isError: true as completed', async () => {
    const alice = await connect(server.url, 'alice');
    try {
      const execution = await alice.session.callTool('lookup', {});
      expect(execution.kind).toBe('task');
      const { outcome } = await execution.settle();
      expect(outcome.status).toBe('completed');
      expect(resultFromTaskOutcome(outcome)).toMatchObject({ isError: true });
    } finally {
      await alice.close();
    }
  });

  it('asks for input through inputRequests and resumes after tasks/update', async () => {
    const asked: unknown[] = [];
    const alice = await connect(server.url, 'alice', async (request) => {
      asked.push(request.params);
      return { action: 'accept', content: { name: 'Luca' } } as never;
    });
    try {
      const execution = await alice.session.callTool('greet', {});
      const { outcome } = await execution.settle();
      expect(outcome.status).toBe('completed');
      expect(resultFromTaskOutcome(outcome)).toMatchObject({
        content: [{ type: 'text', text: 'Hello, Luca!' }],
      });
      expect(asked).toHaveLength(1);
    } finally {
      await alice.close();
    }
  });

  it('keeps a partial answer, ignores a duplicate or unknown key, and waits for the rest', async () => {
    const tasks = server.tasks;
    const alice = await connect(server.url, 'alice');
    try {
      const owner = tasks.ownerOfRequest({
        token: 'x',
        clientId: 'c',
        scopes: [],
        extra: { subject: 'alice' },
      });
      const store = (tasks as unknown as { store: GenericTaskStore }).store;
      // A task no session execution drives, so only this test answers its input requests.
      const { taskId } = await store.create(owner, { requestMethod: 'tools/call' });
      await store.requestInput(owner, taskId, { first: ELICIT_NAME, second: ELICIT_NAME });
      const controller = alice.session.task(taskId as never);
      await controller.update({ first: { action: 'accept', content: { name: 'A' } } } as never);
      let view = await store.get(owner, taskId);
      expect(view.status).toBe('input_required');
      expect(Object.keys(view.inputRequests ?? {})).toEqual(['second']);
      await controller.update({
        first: { action: 'accept', content: { name: 'again' } },
        unknown: { action: 'accept', content: {} },
      } as never);
      view = await store.get(owner, taskId);
      expect(view.inputResponses).toEqual({ first: { action: 'accept', content: { name: 'A' } } });
      await controller.update({ second: { action: 'decline' } } as never);
      view = await store.get(owner, taskId);
      expect(view.status).toBe('working');
      expect(view.inputResponses).toEqual({
        first: { action: 'accept', content: { name: 'A' } },
        second: { action: 'decline' },
      });
      await controller.cancel();
      expect((await store.get(owner, taskId)).status).toBe('cancelled');
    } finally {
      await alice.close();
    }
  });

  it('cancels cooperatively: the handler sees the cancel and the task reads cancelled', async () => {
    const alice = await connect(server.url, 'alice');
    try {
      const execution = await alice.session.callTool('forever', {});
      if (execution.kind !== 'task') throw new Error('expected a task');
      const controller = alice.session.task(execution.handle.taskId);
      expect((await controller.snapshot()).status).toBe('working');
      await execution.cancel();
      expect((await controller.snapshot()).status).toBe('cancelled');
    } finally {
      await alice.close();
    }
  });

  it('runs a forbidden tool inline and an optional one inline for a client without the extension', async () => {
    const alice = await connect(server.url, 'alice');
    const plain = await connectPlain(server.url, 'alice');
    try {
      const echo = await alice.session.callTool('echo', { text: 'hi' });
      expect(echo.kind).toBe('immediate');
      expect(resultFromTaskOutcome((await echo.settle()).outcome)).toMatchObject({
        content: [{ type: 'text', text: 'hi' }],
      });
      const lookup = await plain.callTool({ name: 'lookup', arguments: {} });
      expect(lookup).toMatchObject({ isError: true });
    } finally {
      await plain.close();
      await alice.close();
    }
  });

  it('answers -32021 with data.requiredCapabilities to a client without the extension', async () => {
    const plain = await connectPlain(server.url, 'alice');
    try {
      const error = await plain
        .callTool({ name: 'report', arguments: { steps: 1 } })
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({
        code: -32021,
        data: { requiredCapabilities: { extensions: { 'io.modelcontextprotocol/tasks': {} } } },
      });
    } finally {
      await plain.close();
    }
  });

  it('keeps each user to their own tasks: another user gets -32602 Task not found', async () => {
    const alice = await connect(server.url, 'alice');
    const bob = await connect(server.url, 'bob');
    try {
      const execution = await alice.session.callTool('forever', {});
      if (execution.kind !== 'task') throw new Error('expected a task');
      const error = await bob.session
        .task(execution.handle.taskId)
        .snapshot()
        .catch((caught: unknown) => caught);
      expect(String((error as Error).message)).toMatch(/Task not found/);
      await bob.session
        .task(execution.handle.taskId)
        .cancel()
        .catch(() => undefined);
      expect((await alice.session.task(execution.handle.taskId).snapshot()).status).toBe('working');
      await execution.cancel();
    } finally {
      await bob.close();
      await alice.close();
    }
  });
});

describe('notifications/tasks over subscriptions/listen', () => {
  let first: RunningServer;
  let second: RunningServer;

  beforeAll(async () => {
    const backend = new InMemoryBackend();
    const options = { watchIntervalMs: 20, leaseMs: 5_000, onError: () => undefined };
    first = await startServer(
      { ...options, store: new GenericTaskStore({ backend, defaultPollIntervalMs: 30_000 }) },
      registerTools,
    );
    second = await startServer(
      { ...options, store: new GenericTaskStore({ backend, defaultPollIntervalMs: 30_000 }) },
      registerTools,
    );
  });

  afterAll(async () => {
    await first.close();
    await second.close();
  });

  it('pushes every change made on another instance, so a task with a 30 s poll interval settles at once', async () => {
    const alice = await connect(second.url, 'alice', undefined, first.url);
    const pushed: Array<{ status: string; statusMessage?: string }> = [];
    const previous = alice.client.fallbackNotificationHandler;
    alice.client.fallbackNotificationHandler = async (notification) => {
      if (notification.method === 'notifications/tasks') {
        pushed.push(notification.params as { status: string; statusMessage?: string });
      }
      await previous?.(notification);
    };
    try {
      const execution = await alice.session.callTool('report', { steps: 3 });
      if (execution.kind !== 'task') throw new Error('expected a task');
      const started = Date.now();
      const subscription = await alice.client.listen({
        taskIds: [execution.handle.taskId],
      } as never);
      const { outcome } = await execution.settle();
      const elapsed = Date.now() - started;
      expect(outcome.status).toBe('completed');
      expect(elapsed).toBeLessThan(10_000);
      await subscription.close();
      expect(pushed.at(-1)).toMatchObject({
        status: 'completed',
        result: { content: [{ type: 'text', text: 'report with 3 steps' }] },
      });
      expect(pushed.some((task) => task.statusMessage?.startsWith('step'))).toBe(true);
    } finally {
      await alice.close();
    }
  }, 20_000);

  it('answers -32021 to a listen for task ids from a client without the extension', async () => {
    const plain = await connectPlain(second.url, 'alice');
    try {
      const error = await plain.listen({ taskIds: ['anything'] } as never).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: -32021 });
    } finally {
      await plain.close();
    }
  });
});

describe('a tasks server with no tool registered', () => {
  it('still advertises the extension and answers tasks/get', async () => {
    const store = new GenericTaskStore({ backend: new InMemoryBackend() });
    const server = await startServer({ store, onError: () => undefined }, () => undefined);
    const alice = await connect(server.url, 'alice');
    try {
      const owner = server.tasks.ownerOfRequest({
        token: 't',
        clientId: 'c',
        scopes: [],
        extra: { subject: 'alice' },
      });
      const { taskId } = await store.create(owner);
      expect(alice.client.getServerCapabilities()?.extensions).toEqual({
        'io.modelcontextprotocol/tasks': {},
      });
      expect((await alice.session.task(taskId as never).snapshot()).status).toBe('working');
    } finally {
      await alice.close();
      await server.close();
    }
  });
});
