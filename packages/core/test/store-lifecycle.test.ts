import { describe, expect, it } from '@jest/globals';
import { recordKey } from '../src/store/keys.js';
import {
  type JsonObject,
  TASK_STATUSES,
  type TaskStatus,
  isTerminalStatus,
} from '../src/store/task.js';
import {
  InvalidTransitionError,
  TaskNotReadyError,
  TaskResultUnavailableError,
} from '../src/store/task-errors.js';
import { TASK_ID_PATTERN } from '../src/store/task-id.js';
import { makeStore } from './helpers.js';

const OWNER = 'alice';

/** The spec's transitions: working -> any other; input_required -> any other; terminal -> none. */
function allowed(from: TaskStatus, to: TaskStatus): boolean {
  if (from === to) return false;
  if (from === 'working') return true;
  if (from === 'input_required')
    return ['working', 'completed', 'failed', 'cancelled'].includes(to);
  return false;
}

/** Brings a fresh task to `status` through legal steps. */
async function taskIn(status: TaskStatus) {
  const context = makeStore();
  const task = await context.store.create(OWNER);
  if (status !== 'working') await context.store.updateStatus(OWNER, task.taskId, status);
  return { ...context, taskId: task.taskId };
}

describe('GenericTaskStore lifecycle', () => {
  it('creates a working task with MCP fields, default TTL and poll interval', async () => {
    const { store, clock } = makeStore();
    const task = await store.create(OWNER, { requestMethod: 'tools/call', variables: { step: 1 } });
    expect(task).toEqual({
      taskId: expect.stringMatching(TASK_ID_PATTERN),
      status: 'working',
      createdAt: '2026-03-01T12:00:00.000Z',
      lastUpdatedAt: '2026-03-01T12:00:00.000Z',
      ttl: 3_600_000,
      pollInterval: 1_000,
      expiresAt: new Date(clock.now() + 3_600_000).toISOString(),
      requestMethod: 'tools/call',
      variables: { step: 1 },
      hasResult: false,
    });
    expect(await store.get(OWNER, task.taskId)).toEqual(task);
  });

  it('issues unique, time-ordered ids with 128 random bits', async () => {
    const { store, clock } = makeStore({ limits: { maxActiveTasksPerOwner: null } });
    const ids: string[] = [];
    for (let index = 0; index < 50; index += 1) {
      ids.push((await store.create(OWNER)).taskId);
      clock.advance(1);
    }
    expect(new Set(ids).size).toBe(50);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids.map((id) => id.slice(16))).size).toBe(50);
  });

  it('lists tasks created within one millisecond newest first', async () => {
    const { store } = makeStore();
    const ids: string[] = [];
    for (let index = 0; index < 20; index += 1) ids.push((await store.create(OWNER)).taskId);
    const listed = await store.list(OWNER, { pageSize: 20 });
    expect(listed.tasks.map((task) => task.taskId)).toEqual([...ids].reverse());
  });

  describe('the full 5x5 transition table', () => {
    for (const from of TASK_STATUSES) {
      for (const to of TASK_STATUSES) {
        const legal = allowed(from, to);
        it(`${from} -> ${to} is ${legal ? 'allowed' : 'refused and changes nothing'}`, async () => {
          const { store, memory, taskId, clock } = await taskIn(from);
          clock.advance(5_000);
          const before = await memory.get(recordKey(OWNER, taskId));
          const attempt = store.updateStatus(OWNER, taskId, to, `to ${to}`);
          if (legal) {
            const updated = await attempt;
            expect(updated.status).toBe(to);
            expect(updated.statusMessage).toBe(`to ${to}`);
            expect(updated.lastUpdatedAt).toBe(new Date(clock.now()).toISOString());
          } else {
            const error = await attempt.then(
              () => undefined,
              (caught: unknown) => caught,
            );
            expect(error).toBeInstanceOf(InvalidTransitionError);
            expect(error).toMatchObject({ code: -32602, from, to, name: 'InvalidTransitionError' });
            expect(await memory.get(recordKey(OWNER, taskId))).toEqual(before);
          }
        });
      }
    }
  });

  it('keeps the status message unless a new one is given', async () => {
    const { store } = makeStore();
    const { taskId } = await store.create(OWNER, { statusMessage: 'starting' });
    await store.updateStatus(OWNER, taskId, 'input_required');
    expect((await store.get(OWNER, taskId)).statusMessage).toBe('starting');
    await store.updateStatus(OWNER, taskId, 'working', 'resumed');
    expect((await store.get(OWNER, taskId)).statusMessage).toBe('resumed');
  });

  it('reports progress through the status message without a transition, until terminal', async () => {
    const { store, clock } = makeStore();
    const { taskId } = await store.create(OWNER);
    clock.advance(1_000);
    const progressed = await store.setStatusMessage(OWNER, taskId, '50% done');
    expect(progressed).toMatchObject({ status: 'working', statusMessage: '50% done' });
    expect(progressed.lastUpdatedAt).toBe(new Date(clock.now()).toISOString());
    await store.updateStatus(OWNER, taskId, 'failed', 'broke');
    await expect(store.setStatusMessage(OWNER, taskId, 'late')).rejects.toThrow(
      "Cannot update task: already in terminal status 'failed'",
    );
    expect((await store.get(OWNER, taskId)).statusMessage).toBe('broke');
  });

  it('reportStatus moves like updateStatus, and a repeated live status is a progress report', async () => {
    const { store, clock } = makeStore();
    const { taskId } = await store.create(OWNER, { statusMessage: 'start' });
    clock.advance(1_000);
    expect(await store.reportStatus(OWNER, taskId, 'working', 'half way')).toMatchObject({
      status: 'working',
      statusMessage: 'half way',
      lastUpdatedAt: new Date(clock.now()).toISOString(),
    });
    const unchanged = await store.get(OWNER, taskId);
    clock.advance(1_000);
    expect(await store.reportStatus(OWNER, taskId, 'working')).toEqual(unchanged);
    expect((await store.reportStatus(OWNER, taskId, 'input_required')).status).toBe(
      'input_required',
    );
    await store.reportStatus(OWNER, taskId, 'completed', 'done');
    await expect(store.reportStatus(OWNER, taskId, 'completed', 'again')).rejects.toThrow(
      "Cannot update task: already in terminal status 'completed'",
    );
    await expect(store.reportStatus(OWNER, taskId, 'working')).rejects.toBeInstanceOf(
      InvalidTransitionError,
    );
  });

  it('stores the result with the terminal status in one write and returns it', async () => {
    const { store, memory } = makeStore();
    const { taskId } = await store.create(OWNER);
    const before = await memory.get(recordKey(OWNER, taskId));
    const result = { content: [{ type: 'text', text: 'done' }] };
    const task = await store.storeResult(OWNER, taskId, 'completed', result, 'all done');
    expect(task).toMatchObject({ status: 'completed', statusMessage: 'all done', hasResult: true });
    expect((await memory.get(recordKey(OWNER, taskId))).version).toBe(before.version + 1);
    expect(await store.getResult(OWNER, taskId)).toEqual(result);
  });

  it('returns the result of a failed task', async () => {
    const { store } = makeStore();
    const { taskId } = await store.create(OWNER);
    await store.storeResult(OWNER, taskId, 'failed', { isError: true, content: [] });
    expect(await store.getResult(OWNER, taskId)).toEqual({ isError: true, content: [] });
  });

  it('refuses a second result on a terminal task and keeps the first', async () => {
    const { store } = makeStore();
    const { taskId } = await store.create(OWNER);
    await store.storeResult(OWNER, taskId, 'completed', { first: true });
    await expect(store.storeResult(OWNER, taskId, 'failed', { second: true })).rejects.toThrow(
      "Cannot store result: already in terminal status 'completed'",
    );
    expect(await store.getResult(OWNER, taskId)).toEqual({ first: true });
  });

  it('says the result is not ready before a terminal status', async () => {
    for (const status of ['working', 'input_required'] as const) {
      const { store, taskId } = await taskIn(status);
      const error = await store.getResult(OWNER, taskId).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TaskNotReadyError);
      expect(error).toMatchObject({ code: -32602, status });
    }
  });

  it('says clearly that a cancelled task has no result', async () => {
    const { store, taskId } = await taskIn('working');
    await store.cancel(OWNER, taskId);
    const error = await store.getResult(OWNER, taskId).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TaskResultUnavailableError);
    expect((error as Error).message).toBe(
      "Task has no result: it ended in status 'cancelled' without one",
    );
  });

  it('cancels a live task and refuses to cancel a terminal one with the spec message', async () => {
    for (const status of TASK_STATUSES) {
      const { store, taskId } = await taskIn(status);
      if (isTerminalStatus(status)) {
        await expect(store.cancel(OWNER, taskId)).rejects.toThrow(
          `Cannot cancel task: already in terminal status '${status}'`,
        );
      } else {
        expect((await store.cancel(OWNER, taskId, 'user asked')).status).toBe('cancelled');
      }
    }
  });

  it('stores any key name, __proto__ and constructor included, as a plain variable', async () => {
    const { store } = makeStore();
    const { taskId } = await store.create(OWNER, {
      variables: JSON.parse('{"__proto__":{"a":1},"keep":true}') as JsonObject,
    });
    const patch = JSON.parse('{"__proto__":{"b":2},"constructor":"c","ok":2}') as JsonObject;
    const task = await store.setVariables(OWNER, taskId, patch);
    expect(Object.keys(task.variables)).toEqual(['keep', '__proto__', 'constructor', 'ok']);
    expect(JSON.stringify((await store.get(OWNER, taskId)).variables)).toBe(
      '{"keep":true,"__proto__":{"b":2},"constructor":"c","ok":2}',
    );
    expect(Object.getPrototypeOf(task.variables)).toBe(Object.prototype);
  });

  it('merges variables and deletes keys set to null', async () => {
    const { store } = makeStore();
    const { taskId } = await store.create(OWNER, { variables: { a: 1, b: { c: [1, 2] } } });
    await store.setVariables(OWNER, taskId, { b: null, d: 'x' });
    await store.setVariables(OWNER, taskId, { a: 2, missing: null });
    expect((await store.get(OWNER, taskId)).variables).toEqual({ a: 2, d: 'x' });
  });
});
