import { describe, expect, it } from '@jest/globals';
import { ownerPrefix } from '../src/store/keys.js';
import type { JsonObject } from '../src/store/task.js';
import { InvalidParamsError, LimitExceededError } from '../src/store/task-errors.js';
import { dump, makeStore } from './helpers.js';

const OWNER = 'limited';

function nested(depth: number): JsonObject {
  let value: JsonObject = {};
  for (let level = 1; level < depth; level += 1) value = { inner: value };
  return value;
}

describe('GenericTaskStore limits', () => {
  it('enforces variable nesting depth on create and update, writing nothing', async () => {
    const { store, backend } = makeStore({ limits: { maxVariableDepth: 4 } });
    const task = await store.create(OWNER, { variables: { ok: nested(3) } });
    const before = await dump(backend, ownerPrefix(OWNER));
    await expect(store.create(OWNER, { variables: { deep: nested(4) } })).rejects.toMatchObject({
      name: 'LimitExceededError',
      limit: 'variableDepth',
      code: -32602,
    });
    await expect(
      store.setVariables(OWNER, task.taskId, { deep: nested(4) }),
    ).rejects.toBeInstanceOf(LimitExceededError);
    await expect(
      store.setVariables(OWNER, task.taskId, { list: [[[[1]]]] }),
    ).rejects.toBeInstanceOf(LimitExceededError);
    await expect(
      store.storeResult(OWNER, task.taskId, 'completed', nested(6) as never),
    ).rejects.toBeInstanceOf(LimitExceededError);
    expect(await dump(backend, ownerPrefix(OWNER))).toEqual(before);
  });

  it('enforces string length in values, keys, results and status messages', async () => {
    const { store, backend } = makeStore({ limits: { maxStringLength: 10 } });
    const task = await store.create(OWNER, { variables: { short: '0123456789' } });
    const before = await dump(backend, ownerPrefix(OWNER));
    const long = '01234567890';
    const attempts = [
      store.setVariables(OWNER, task.taskId, { a: long }),
      store.setVariables(OWNER, task.taskId, { [long]: 1 }),
      store.setVariables(OWNER, task.taskId, { a: [{ b: long }] }),
      store.storeResult(OWNER, task.taskId, 'completed', { text: long }),
      store.updateStatus(OWNER, task.taskId, 'input_required', long),
      store.create(OWNER, { statusMessage: long }),
    ];
    for (const attempt of attempts) {
      await expect(attempt).rejects.toMatchObject({
        name: 'LimitExceededError',
        limit: 'stringLength',
      });
    }
    expect(await dump(backend, ownerPrefix(OWNER))).toEqual(before);
  });

  it('enforces the whole record size, counting what is already stored', async () => {
    const { store, backend } = makeStore({ limits: { maxRecordBytes: 2_000 } });
    const task = await store.create(OWNER, { variables: { a: 'x'.repeat(800) } });
    await store.setVariables(OWNER, task.taskId, { b: 'é'.repeat(300) });
    const before = await dump(backend, ownerPrefix(OWNER));
    const error = await store
      .setVariables(OWNER, task.taskId, { c: 'y'.repeat(800) })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'LimitExceededError', limit: 'recordSize', max: 2_000 });
    expect((error as LimitExceededError).actual).toBeGreaterThan(2_000);
    await expect(
      store.storeResult(OWNER, task.taskId, 'completed', { big: 'z'.repeat(1_000) }),
    ).rejects.toMatchObject({
      limit: 'recordSize',
    });
    await expect(
      store.create(OWNER, { variables: { big: 'z'.repeat(2_000) } }),
    ).rejects.toMatchObject({ limit: 'recordSize' });
    expect(await dump(backend, ownerPrefix(OWNER))).toEqual(before);
  });

  it('allows 350,000-byte records by default, which fit a DynamoDB item', async () => {
    const { store } = makeStore();
    const variables = Object.fromEntries(
      Array.from({ length: 6 }, (_, index) => [`part${index}`, 'x'.repeat(56_000)]),
    );
    const task = await store.create(OWNER, { variables });
    expect(task.variables).toEqual(variables);
    await expect(
      store.setVariables(OWNER, task.taskId, { more: 'x'.repeat(20_000) }),
    ).rejects.toMatchObject({
      limit: 'recordSize',
      max: 350_000,
    });
  });

  it('limits active tasks per owner, counting neither terminal nor expired tasks nor other owners', async () => {
    const { store, clock, backend } = makeStore({ limits: { maxActiveTasksPerOwner: 3 } });
    const first = await store.create(OWNER);
    await store.create(OWNER, { ttl: 1_000 });
    await store.create(OWNER);
    await store.create('other-owner');
    const before = await dump(backend, ownerPrefix(OWNER));
    await expect(store.create(OWNER)).rejects.toMatchObject({
      name: 'LimitExceededError',
      limit: 'activeTasks',
      max: 3,
      actual: 3,
    });
    expect(await dump(backend, ownerPrefix(OWNER))).toEqual(before);
    await store.storeResult(OWNER, first.taskId, 'completed', {});
    await store.create(OWNER);
    await expect(store.create(OWNER)).rejects.toMatchObject({ limit: 'activeTasks' });
    clock.advance(2_000);
    await store.create(OWNER);
    await expect(store.create(OWNER)).rejects.toMatchObject({ limit: 'activeTasks' });
  });

  it('names a cycle as such, and accepts one object referenced twice', async () => {
    const { store } = makeStore();
    const task = await store.create(OWNER);
    const cyclic: Record<string, unknown> = { list: [] };
    (cyclic.list as unknown[]).push(cyclic);
    const error = await store
      .setVariables(OWNER, task.taskId, { loop: cyclic } as never)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidParamsError);
    expect((error as Error).message).toBe('variables.loop.list[0] refers back to itself (a cycle)');
    const shared = { n: 1 };
    const updated = await store.setVariables(OWNER, task.taskId, {
      a: shared,
      b: [shared, shared],
    });
    expect(updated.variables).toEqual({ a: { n: 1 }, b: [{ n: 1 }, { n: 1 }] });
  });

  it('rejects values that are not plain JSON, writing nothing', async () => {
    const { store, backend } = makeStore();
    const task = await store.create(OWNER, { variables: { keep: 1 } });
    const before = await dump(backend, ownerPrefix(OWNER));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const bad: unknown[] = [
      { a: undefined },
      { a: () => 1 },
      { a: Symbol('s') },
      { a: 10n },
      { a: Number.NaN },
      { a: Number.POSITIVE_INFINITY },
      { a: new Date() },
      { a: new Map() },
      cyclic,
      [1, 2],
      'text',
      null,
    ];
    for (const patch of bad) {
      const error = await store
        .setVariables(OWNER, task.taskId, patch as never)
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: -32602 });
      expect(error instanceof InvalidParamsError || error instanceof LimitExceededError).toBe(true);
    }
    expect(await dump(backend, ownerPrefix(OWNER))).toEqual(before);
  });
});
