import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  CallToolResultSchema,
  CreateTaskResultSchema,
  RELATED_TASK_META_KEY,
} from '@modelcontextprotocol/sdk/types.js';
import { InMemoryBackend } from '@tasks/core';
import { McpTaskMessageQueue, McpTaskStore } from '../../src/sdk-v1/index.js';
import { GenericTaskStore } from '@tasks/core';
import { newTaskId } from '@tasks/core';
import { type Harness, mcpErrorOf, POLL_MS, type StartHarness, ToolControls } from './fixture.js';

const HOUR = 3_600_000;
const PAGE_SIZE = 2;

type StreamEvent =
  ReturnType<Client['experimental']['tasks']['callToolStream']> extends AsyncGenerator<infer E>
    ? E
    : never;

/** Calls `name` as a task and collects every event of the stream; `onEvent` may act on each. */
async function streamTool(
  client: Client,
  name: string,
  args: Record<string, unknown>,
  onEvent: (event: StreamEvent) => void = () => undefined,
): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  const stream = client.experimental.tasks.callToolStream(
    { name, arguments: args },
    CallToolResultSchema,
    { task: { ttl: 10 * HOUR } },
  );
  for await (const event of stream) {
    events.push(event);
    onEvent(event);
  }
  return events;
}

/** Sends a task-augmented `tools/call` and returns the task id from the `CreateTaskResult`. */
async function startTask(client: Client, name: string, args: Record<string, unknown>) {
  const created = await client.request(
    { method: 'tools/call', params: { name, arguments: args, task: { ttl: 60_000 } } },
    CreateTaskResultSchema,
  );
  return created.task.taskId;
}

/** The durable queue, noting the method of every message enqueued. */
class RecordingQueue extends McpTaskMessageQueue {
  readonly enqueuedMethods: string[] = [];

  override async enqueue(
    ...args: Parameters<McpTaskMessageQueue['enqueue']>
  ): ReturnType<McpTaskMessageQueue['enqueue']> {
    const [, message] = args;
    this.enqueuedMethods.push('method' in message.message ? message.message.method : message.type);
    return super.enqueue(...args);
  }
}

function taskIdOf(events: StreamEvent[]): string {
  const created = events.find((event) => event.type === 'taskCreated');
  if (created?.type !== 'taskCreated') throw new Error('the stream created no task');
  return created.task.taskId;
}

/**
 * The MCP task protocol end to end, real SDK client and server, on `McpTaskStore` and
 * `McpTaskMessageQueue` over an in-memory backend, through the transport `start` provides.
 */
export function describeProtocolFlow(transport: string, start: StartHarness): void {
  describe(`MCP task protocol over ${transport}`, () => {
    let harness: Harness;
    let controls: ToolControls;
    let queue: RecordingQueue;

    beforeEach(async () => {
      const backend = new InMemoryBackend();
      const store = new GenericTaskStore({ backend, pageSize: PAGE_SIZE, maxTtlMs: HOUR });
      controls = new ToolControls();
      queue = new RecordingQueue({ store });
      harness = await start(
        {
          taskStore: new McpTaskStore({ store }),
          taskMessageQueue: queue,
        },
        controls,
      );
    });

    afterEach(async () => {
      await harness.close();
    });

    it('runs a tool as a task: created, progress in the status message, then the result', async () => {
      const { client } = await harness.connect();
      const events = await streamTool(
        client,
        'work',
        { label: 'a', progress: ['step 1 of 2', 'step 2 of 2'] },
        (event) => {
          if (event.type === 'taskStatus' && event.task.statusMessage === 'step 2 of 2') {
            controls.releases.release('a');
          }
        },
      );
      expect(events[0]).toMatchObject({
        type: 'taskCreated',
        task: { status: 'working', ttl: HOUR, pollInterval: POLL_MS },
      });
      const statuses = events.flatMap((event) => (event.type === 'taskStatus' ? [event.task] : []));
      expect(statuses.map((task) => task.statusMessage)).toContain('step 2 of 2');
      expect(statuses.at(-1)).toMatchObject({ status: 'completed' });
      const taskId = taskIdOf(events);
      expect(events.at(-1)).toEqual({
        type: 'result',
        result: {
          content: [{ type: 'text', text: 'a done' }],
          _meta: { [RELATED_TASK_META_KEY]: { taskId } },
        },
      });
      expect(await client.experimental.tasks.getTask(taskId)).toMatchObject({
        taskId,
        status: 'completed',
        statusMessage: 'step 2 of 2',
      });
      await controls.settled();
      expect(controls.backgroundErrors).toEqual([]);
    });

    it('holds tasks/result until the task completes, while tasks/get answers', async () => {
      const { client } = await harness.connect();
      const taskId = await startTask(client, 'work', { label: 'b', progress: ['thinking'] });
      let delivered = false;
      const result = client.experimental.tasks
        .getTaskResult(taskId, CallToolResultSchema)
        .finally(() => (delivered = true));
      expect(await client.experimental.tasks.getTask(taskId)).toMatchObject({ status: 'working' });
      expect(delivered).toBe(false);
      controls.releases.release('b');
      expect(await result).toMatchObject({ content: [{ type: 'text', text: 'b done' }] });
      expect((await client.experimental.tasks.getTask(taskId)).status).toBe('completed');
    });

    it('lists the session’s tasks newest first, page by page, and refuses a bad cursor', async () => {
      const { client } = await harness.connect();
      const created: string[] = [];
      for (let n = 0; n < 5; n += 1)
        created.push(await startTask(client, 'fail', { reason: `r${n}` }));
      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await client.experimental.tasks.listTasks(cursor);
        pages.push(page.tasks.map((task) => task.taskId));
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
      const listed = pages.flat();
      expect([...listed].sort()).toEqual([...created].sort());
      expect(listed).toEqual([...listed].sort().reverse());
      const error = await mcpErrorOf(client.experimental.tasks.listTasks('not-a-cursor'));
      expect(error.code).toBe(-32602);
      await controls.settled();
    });

    it('cancels a working task; a second cancel and the late result are refused', async () => {
      const { client } = await harness.connect();
      const taskId = await startTask(client, 'work', { label: 'c', progress: [] });
      const cancelled = await client.experimental.tasks.cancelTask(taskId);
      expect(cancelled).toMatchObject({ taskId, status: 'cancelled' });
      expect((await client.experimental.tasks.getTask(taskId)).status).toBe('cancelled');
      const again = await mcpErrorOf(client.experimental.tasks.cancelTask(taskId));
      expect(again.code).toBe(-32602);
      const noResult = await mcpErrorOf(
        client.experimental.tasks.getTaskResult(taskId, CallToolResultSchema),
      );
      expect(noResult.code).toBe(-32602);
      controls.releases.release('c');
      await controls.settled();
      expect(controls.backgroundErrors).toEqual([
        expect.objectContaining({ code: -32602, message: expect.stringContaining('cancelled') }),
      ]);
    });

    it('ends a failing tool in failed, with its error result available', async () => {
      const { client } = await harness.connect();
      const events = await streamTool(client, 'fail', { reason: 'disk full' });
      const taskId = taskIdOf(events);
      expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: -32603 } });
      expect((await client.experimental.tasks.getTask(taskId)).status).toBe('failed');
      expect(
        await client.experimental.tasks.getTaskResult(taskId, CallToolResultSchema),
      ).toMatchObject({ content: [{ type: 'text', text: 'disk full' }], isError: true });
    });

    it('passes through input_required while the tool asks the user, then completes', async () => {
      const { client, questions } = await harness.connect();
      const events = await streamTool(client, 'confirm', { question: 'Delete the file?' });
      const statuses = events.flatMap((event) =>
        event.type === 'taskStatus' ? [event.task.status] : [],
      );
      expect(statuses).toContain('input_required');
      expect(questions).toEqual(['Delete the file?']);
      expect(queue.enqueuedMethods).toEqual(['elicitation/create']);
      expect(events.at(-1)).toMatchObject({
        type: 'result',
        result: { content: [{ type: 'text', text: 'confirmed' }] },
      });
      expect(await client.experimental.tasks.getTask(taskIdOf(events))).toMatchObject({
        status: 'completed',
        statusMessage: 'answer received',
      });
      await controls.settled();
      expect(controls.backgroundErrors).toEqual([]);
    });

    it('answers unknown task ids with -32602', async () => {
      const { client } = await harness.connect();
      const unknown = newTaskId(Date.now());
      const calls = [
        client.experimental.tasks.getTask(unknown),
        client.experimental.tasks.getTaskResult(unknown, CallToolResultSchema),
        client.experimental.tasks.cancelTask(unknown),
      ];
      for (const call of calls) expect((await mcpErrorOf(call)).code).toBe(-32602);
    });

    it('isolates sessions: another session neither finds nor lists a task', async () => {
      const first = await harness.connect();
      const second = await harness.connect();
      const taskId = await startTask(first.client, 'work', { label: 'mine', progress: [] });
      const foreign = [
        second.client.experimental.tasks.getTask(taskId),
        second.client.experimental.tasks.getTaskResult(taskId, CallToolResultSchema),
        second.client.experimental.tasks.cancelTask(taskId),
      ];
      for (const call of foreign) expect((await mcpErrorOf(call)).code).toBe(-32602);
      expect((await second.client.experimental.tasks.listTasks()).tasks).toEqual([]);
      const own = await first.client.experimental.tasks.listTasks();
      expect(own.tasks.map((task) => task.taskId)).toEqual([taskId]);
      expect((await first.client.experimental.tasks.getTask(taskId)).status).toBe('working');
      controls.releases.release('mine');
      await controls.settled();
      expect(controls.backgroundErrors).toEqual([]);
    });
  });
}
