import { ContractOnlyBackend, CountingBackend } from '@tasks/core/testing';
import { describe, expect, it } from '@jest/globals';
import { mcpErrorOf } from './fixture.js';
import { ownerPrefix } from '@tasks/core';
import { DEFAULT_OWNER_WITHOUT_SESSION, McpTaskStore } from '../../src/sdk-v1/index.js';
import type { GenericTaskStoreOptions } from '@tasks/core';
import { newTaskId } from '@tasks/core';
import { BackendError } from '@tasks/core';
import { makeStore } from '../helpers.js';

const REQUEST = { method: 'tools/call', params: { name: 'work' } };
const HOUR = 3_600_000;
const RESULT = { content: [{ type: 'text', text: 'done' }] };

function setup(
  storeOptions: Partial<GenericTaskStoreOptions> = {},
  mcpOptions: Partial<ConstructorParameters<typeof McpTaskStore>[0]> = {},
) {
  const made = makeStore(storeOptions, (memory) => new CountingBackend(memory));
  const taskStore = new McpTaskStore({ store: made.store, ...mcpOptions });
  return { ...made, counting: made.backend as CountingBackend, taskStore };
}

describe('McpTaskStore', () => {
  it('creates a working task with the exact MCP shape and the request method', async () => {
    const { taskStore, store, clock } = setup();
    const task = await taskStore.createTask({ ttl: 60_000, pollInterval: 250 }, 1, REQUEST, 's1');
    expect(task).toEqual({
      taskId: expect.stringMatching(/^[0-9a-f]{48}$/),
      status: 'working',
      createdAt: new Date(clock.now()).toISOString(),
      lastUpdatedAt: new Date(clock.now()).toISOString(),
      ttl: 60_000,
      pollInterval: 250,
    });
    const snapshot = await store.get(taskStore.ownerOf('s1'), task.taskId);
    expect(snapshot.requestMethod).toBe('tools/call');
    expect(snapshot.variables).toEqual({});
  });

  it('keeps taskParams.context as the initial variables', async () => {
    const { taskStore, store } = setup();
    const task = await taskStore.createTask(
      { context: { job: 'report', retries: 2, skipped: undefined } },
      1,
      REQUEST,
      's1',
    );
    expect((await store.get(taskStore.ownerOf('s1'), task.taskId)).variables).toEqual({
      job: 'report',
      retries: 2,
    });
  });

  it('clamps the TTL to the maximum and returns the granted value', async () => {
    const { taskStore } = setup({ maxTtlMs: HOUR, defaultTtlMs: 60_000 });
    expect((await taskStore.createTask({ ttl: 10 * HOUR }, 1, REQUEST, 's')).ttl).toBe(HOUR);
    expect((await taskStore.createTask({ ttl: null }, 1, REQUEST, 's')).ttl).toBe(HOUR);
    expect((await taskStore.createTask({}, 1, REQUEST, 's')).ttl).toBe(60_000);
    const unlimited = setup({ allowUnlimitedTtl: true }).taskStore;
    expect((await unlimited.createTask({ ttl: null }, 1, REQUEST, 's')).ttl).toBeNull();
  });

  it('measures the TTL from creation without timers: the task is gone when it expires', async () => {
    const { taskStore, clock } = setup();
    const task = await taskStore.createTask({ ttl: 10_000 }, 1, REQUEST, 's');
    clock.advance(9_000);
    await taskStore.storeTaskResult(task.taskId, 'completed', RESULT, 's');
    clock.advance(999);
    expect((await taskStore.getTask(task.taskId, 's'))?.status).toBe('completed');
    clock.advance(1);
    expect(await taskStore.getTask(task.taskId, 's')).toBeNull();
    expect((await taskStore.listTasks(undefined, 's')).tasks).toEqual([]);
  });

  it('refuses a malformed TTL with -32602 and creates nothing', async () => {
    const { taskStore, memory } = setup();
    for (const ttl of [0, -5, 1.5]) {
      const error = await mcpErrorOf(taskStore.createTask({ ttl }, 1, REQUEST, 's'));
      expect(error.code).toBe(-32602);
    }
    expect(await memory.listByPrefix(ownerPrefix('s'))).toEqual([]);
  });

  it('stores status and result in one write and returns the result for completed and failed', async () => {
    const { taskStore, counting } = setup();
    const done = await taskStore.createTask({}, 1, REQUEST, 's');
    const broken = await taskStore.createTask({}, 2, REQUEST, 's');
    const writesBefore = counting.calls.putIfVersion ?? 0;
    await taskStore.storeTaskResult(done.taskId, 'completed', RESULT, 's');
    expect(counting.calls.putIfVersion).toBe(writesBefore + 1);
    const failure = { content: [{ type: 'text', text: 'boom' }], isError: true };
    await taskStore.storeTaskResult(broken.taskId, 'failed', failure, 's');
    expect(await taskStore.getTaskResult(done.taskId, 's')).toEqual(RESULT);
    expect(await taskStore.getTaskResult(broken.taskId, 's')).toEqual(failure);
    expect((await taskStore.getTask(done.taskId, 's'))?.status).toBe('completed');
    expect((await taskStore.getTask(broken.taskId, 's'))?.status).toBe('failed');
  });

  it('refuses a second result for a terminal task with -32602 and keeps the first', async () => {
    const { taskStore } = setup();
    const task = await taskStore.createTask({}, 1, REQUEST, 's');
    await taskStore.storeTaskResult(task.taskId, 'completed', RESULT, 's');
    const error = await mcpErrorOf(
      taskStore.storeTaskResult(task.taskId, 'failed', { content: [] }, 's'),
    );
    expect(error.code).toBe(-32602);
    expect(error.message).toContain("already in terminal status 'completed'");
    expect(await taskStore.getTaskResult(task.taskId, 's')).toEqual(RESULT);
  });

  it('stores a result as a transport would send it', async () => {
    const { taskStore } = setup();
    const task = await taskStore.createTask({}, 1, REQUEST, 's');
    await taskStore.storeTaskResult(
      task.taskId,
      'completed',
      { content: [{ type: 'text', text: 'x' }], structuredContent: undefined },
      's',
    );
    expect(await taskStore.getTaskResult(task.taskId, 's')).toEqual({
      content: [{ type: 'text', text: 'x' }],
    });
  });

  it('answers getTaskResult before a result exists and for a cancelled task with -32602', async () => {
    const { taskStore } = setup();
    const task = await taskStore.createTask({}, 1, REQUEST, 's');
    expect((await mcpErrorOf(taskStore.getTaskResult(task.taskId, 's'))).code).toBe(-32602);
    await taskStore.updateTaskStatus(task.taskId, 'cancelled', 'stopped', 's');
    expect((await mcpErrorOf(taskStore.getTaskResult(task.taskId, 's'))).code).toBe(-32602);
  });

  it('moves through input_required and back, and reports progress by repeating the status', async () => {
    const { taskStore } = setup();
    const { taskId } = await taskStore.createTask({}, 1, REQUEST, 's');
    await taskStore.updateTaskStatus(taskId, 'working', 'step 1 of 3', 's');
    expect(await taskStore.getTask(taskId, 's')).toMatchObject({
      status: 'working',
      statusMessage: 'step 1 of 3',
    });
    await taskStore.updateTaskStatus(taskId, 'input_required', undefined, 's');
    await taskStore.updateTaskStatus(taskId, 'input_required', undefined, 's');
    expect(await taskStore.getTask(taskId, 's')).toMatchObject({
      status: 'input_required',
      statusMessage: 'step 1 of 3',
    });
    await taskStore.updateTaskStatus(taskId, 'working', 'step 2 of 3', 's');
    expect(await taskStore.getTask(taskId, 's')).toMatchObject({
      status: 'working',
      statusMessage: 'step 2 of 3',
    });
  });

  it('reports progress in one write, and writes nothing for a bare repeat', async () => {
    const { taskStore, counting } = setup();
    const { taskId } = await taskStore.createTask({}, 1, REQUEST, 's');
    const before = { ...counting.calls };
    await taskStore.updateTaskStatus(taskId, 'working', 'step 1 of 3', 's');
    expect(counting.calls.get ?? 0).toBe(before.get ?? 0);
    expect(counting.calls.putIfVersion).toBe((before.putIfVersion ?? 0) + 1);
    const stored = await taskStore.store.get(taskStore.ownerOf('s'), taskId);
    await taskStore.updateTaskStatus(taskId, 'working', undefined, 's');
    expect(counting.calls.putIfVersion).toBe((before.putIfVersion ?? 0) + 1);
    expect(await taskStore.store.get(taskStore.ownerOf('s'), taskId)).toEqual(stored);
  });

  it('refuses to move a terminal task, even to its own status, with -32602', async () => {
    const { taskStore } = setup();
    const { taskId } = await taskStore.createTask({}, 1, REQUEST, 's');
    await taskStore.updateTaskStatus(taskId, 'cancelled', undefined, 's');
    for (const status of ['cancelled', 'working', 'completed'] as const) {
      const error = await mcpErrorOf(taskStore.updateTaskStatus(taskId, status, 'again', 's'));
      expect(error.code).toBe(-32602);
    }
    expect((await taskStore.getTask(taskId, 's'))?.status).toBe('cancelled');
  });

  it('binds tasks to the session: another session finds nothing and lists nothing', async () => {
    const { taskStore } = setup();
    const { taskId } = await taskStore.createTask({}, 1, REQUEST, 'session-a');
    expect(await taskStore.getTask(taskId, 'session-b')).toBeNull();
    expect(await taskStore.getTask(taskId)).toBeNull();
    expect((await taskStore.listTasks(undefined, 'session-b')).tasks).toEqual([]);
    const refusals = [
      taskStore.getTaskResult(taskId, 'session-b'),
      taskStore.storeTaskResult(taskId, 'completed', RESULT, 'session-b'),
      taskStore.updateTaskStatus(taskId, 'cancelled', undefined, 'session-b'),
    ];
    for (const refusal of refusals) {
      const error = await mcpErrorOf(refusal);
      expect(error.code).toBe(-32602);
      expect(error.message).toContain('Task not found');
    }
    expect((await taskStore.getTask(taskId, 'session-a'))?.status).toBe('working');
    expect((await taskStore.listTasks(undefined, 'session-a')).tasks).toHaveLength(1);
  });

  it('maps sessions to owners: two sessions of one user share their tasks', async () => {
    const users = new Map([
      ['s1', 'alice'],
      ['s2', 'alice'],
      ['s3', 'bob'],
    ]);
    const { taskStore, store } = setup(
      {},
      { ownerOfSession: (sessionId) => users.get(sessionId) ?? `anonymous:${sessionId}` },
    );
    const { taskId } = await taskStore.createTask({}, 1, REQUEST, 's1');
    expect(taskStore.ownerOf('s2')).toBe('user:alice');
    expect((await taskStore.getTask(taskId, 's2'))?.taskId).toBe(taskId);
    expect(await taskStore.getTask(taskId, 's3')).toBeNull();
    expect((await store.get('user:alice', taskId)).taskId).toBe(taskId);
  });

  it('gives calls without a session one shared, configurable owner', async () => {
    const { taskStore: defaults } = setup();
    expect(defaults.ownerOf()).toBe(`no-session:${DEFAULT_OWNER_WITHOUT_SESSION}`);
    const { taskStore, store } = setup({}, { ownerWithoutSession: 'stdio-user' });
    const { taskId } = await taskStore.createTask({}, 1, REQUEST);
    expect((await taskStore.getTask(taskId))?.taskId).toBe(taskId);
    expect((await store.get('no-session:stdio-user', taskId)).taskId).toBe(taskId);
    expect(await taskStore.getTask(taskId, 'some-session')).toBeNull();
  });

  it('keeps the sessionless owner apart from every session id and ownerOfSession result', async () => {
    const { taskStore } = setup();
    const { taskId } = await taskStore.createTask({}, 1, REQUEST);
    for (const sessionId of [
      DEFAULT_OWNER_WITHOUT_SESSION,
      `no-session:${DEFAULT_OWNER_WITHOUT_SESSION}`,
      'mcp:no-session',
    ]) {
      expect(await taskStore.getTask(taskId, sessionId)).toBeNull();
    }
    const mapped = setup(
      {},
      { ownerOfSession: (sessionId) => sessionId, ownerWithoutSession: 'shared' },
    );
    const own = await mapped.taskStore.createTask({}, 1, REQUEST);
    for (const sessionId of ['shared', 'no-session:shared', 'session:shared']) {
      expect(await mapped.taskStore.getTask(own.taskId, sessionId)).toBeNull();
    }
    const bySession = await mapped.taskStore.createTask({}, 1, REQUEST, 'no-session:shared');
    expect(await mapped.taskStore.getTask(bySession.taskId)).toBeNull();
  });

  it('lists newest first in pages, and refuses a foreign cursor with -32602', async () => {
    const { taskStore, clock } = setup({ pageSize: 2 });
    const ids: string[] = [];
    for (let n = 0; n < 5; n += 1) {
      ids.unshift((await taskStore.createTask({}, n, REQUEST, 's')).taskId);
      clock.advance(1);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await taskStore.listTasks(cursor, 's');
      expect(page.tasks.length).toBeLessThanOrEqual(2);
      seen.push(...page.tasks.map((task) => task.taskId));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(seen).toEqual(ids);
    const error = await mcpErrorOf(taskStore.listTasks('not-a-cursor', 's'));
    expect(error.code).toBe(-32602);
  });

  it('treats unknown and malformed task ids as not found', async () => {
    const { taskStore, clock } = setup();
    for (const taskId of [newTaskId(clock.now()), 'nope', '']) {
      expect(await taskStore.getTask(taskId, 's')).toBeNull();
      expect((await mcpErrorOf(taskStore.getTaskResult(taskId, 's'))).code).toBe(-32602);
    }
  });

  it('surfaces storage failures as -32603 with the store error as cause', async () => {
    const made = makeStore(
      {},
      (memory) =>
        new (class extends ContractOnlyBackend {
          override get(key: string): never {
            throw new BackendError('get', key, new Error('network down'));
          }
        })(memory),
    );
    const taskStore = new McpTaskStore({ store: made.store });
    const error = await mcpErrorOf(taskStore.getTask(newTaskId(made.clock.now()), 's'));
    expect(error.code).toBe(-32603);
    expect(error.cause).toMatchObject({ name: 'TaskStorageError' });
  });

  it('rejects options of the wrong type', () => {
    const { store } = makeStore();
    expect(() => new McpTaskStore({} as never)).toThrow(TypeError);
    expect(() => new McpTaskStore({ store, ownerWithoutSession: '' })).toThrow(TypeError);
    expect(() => new McpTaskStore({ store, ownerOfSession: 'alice' as never })).toThrow(TypeError);
  });
});
