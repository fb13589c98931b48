import { describe, expect, it } from '@jest/globals';
import { GenericTaskMessageQueue } from '../src/queue/message-queue.js';
import { queueKey } from '../src/queue/message-queue-record.js';
import { ownerPrefix, recordKey } from '../src/store/keys.js';
import { DEFAULT_LIMITS } from '../src/store/store-options.js';
import { LimitExceededError } from '../src/store/task-errors.js';
import { dump, makeStore } from './helpers.js';

const OWNER = 'snapshot-owner';
/** More than the default 350,000-byte record limit, whichever way it is counted. */
const HUGE = 'x'.repeat(2 * DEFAULT_LIMITS.maxRecordBytes);

/** A value that nests `depth` objects deep. */
function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < depth; level += 1) value = { inner: value };
  return value;
}

/**
 * An object whose property `name` answers `first` on the first read and `later` on every read
 * after it, counting the reads: what a check that reads twice would see differently.
 */
function lying(name: string, first: unknown, later: unknown) {
  const reads = { count: 0 };
  const value = {};
  Object.defineProperty(value, name, {
    enumerable: true,
    get: () => {
      reads.count += 1;
      return reads.count === 1 ? first : later;
    },
  });
  return { value: value as Record<string, never>, reads };
}

/** The JSON object stored at `key`, straight from the backend. */
async function stored(memory: { get(key: string): Promise<{ data: string }> }, key: string) {
  return JSON.parse((await memory.get(key)).data) as Record<string, unknown>;
}

describe('inputs are read once, checked and stored as read', () => {
  it('stores what a lying getter answered first, however large or deep its later answers', async () => {
    const { store, memory } = makeStore();
    const task = await store.create(OWNER);
    const big = lying('note', 'small', HUGE);
    const updated = await store.setVariables(OWNER, task.taskId, big.value);
    expect(big.reads.count).toBe(1);
    expect(updated.variables).toEqual({ note: 'small' });
    expect((await stored(memory, recordKey(OWNER, task.taskId))).variables).toEqual({
      note: 'small',
    });
    const deep = lying('tree', { leaf: 1 }, nested(10_000));
    const result = await store.storeResult(OWNER, task.taskId, 'completed', deep.value);
    expect(deep.reads.count).toBe(1);
    expect(result.hasResult).toBe(true);
    expect(await store.getResult(OWNER, task.taskId)).toEqual({ tree: { leaf: 1 } });
    expect((await stored(memory, recordKey(OWNER, task.taskId))).result).toEqual({
      tree: { leaf: 1 },
    });
  });

  it('refuses a lying getter whose first answer is already over a limit, writing nothing', async () => {
    const { store, backend } = makeStore();
    const task = await store.create(OWNER);
    const before = await dump(backend, ownerPrefix(OWNER));
    const big = lying('note', HUGE, 'small');
    await expect(store.setVariables(OWNER, task.taskId, big.value)).rejects.toMatchObject({
      name: 'LimitExceededError',
      limit: 'stringLength',
    });
    const deep = lying('tree', nested(40), { leaf: 1 });
    await expect(
      store.storeResult(OWNER, task.taskId, 'completed', deep.value),
    ).rejects.toMatchObject({ name: 'LimitExceededError', limit: 'variableDepth' });
    expect([big.reads.count, deep.reads.count]).toEqual([1, 1]);
    expect(await dump(backend, ownerPrefix(OWNER))).toEqual(before);
  });

  it('snapshots create variables and queue messages the same way', async () => {
    const { store, memory } = makeStore();
    const queue = new GenericTaskMessageQueue({ store });
    const variables = lying('plan', ['a'], nested(10_000));
    const task = await store.create(OWNER, { variables: variables.value });
    expect(task.variables).toEqual({ plan: ['a'] });
    const message = lying('text', 'hello', HUGE);
    await queue.enqueue(OWNER, task.taskId, message.value);
    expect([variables.reads.count, message.reads.count]).toEqual([1, 1]);
    expect((await stored(memory, queueKey(OWNER, task.taskId))).messages).toEqual([
      { text: 'hello' },
    ]);
    expect(await queue.dequeue(OWNER, task.taskId)).toEqual({ text: 'hello' });
  });

  it('reads each element of a lying array once: its length, and each index', async () => {
    const { store } = makeStore();
    const task = await store.create(OWNER);
    let reads = 0;
    const list = new Proxy([1, 2, 3], {
      get(target, property, receiver) {
        reads += 1;
        if (property === 'length') return reads === 1 ? 3 : 1_000_000;
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    const updated = await store.setVariables(OWNER, task.taskId, { list });
    expect(updated.variables).toEqual({ list: [1, 2, 3] });
    expect(reads).toBe(4);
  });

  it('refuses a toJSON instead of letting serialization replace what was checked', async () => {
    const { store } = makeStore();
    const task = await store.create(OWNER);
    await expect(
      store.setVariables(OWNER, task.taskId, { a: 1, toJSON: () => ({ a: HUGE }) } as never),
    ).rejects.toMatchObject({ name: 'InvalidParamsError', code: -32602 });
  });

  it('stops reading an oversized input once the size limit is passed', async () => {
    const { store } = makeStore();
    const task = await store.create(OWNER);
    let reads = 0;
    const numbers = new Proxy(new Array<number>(200_000).fill(7), {
      get(target, property, receiver) {
        if (property !== 'length') reads += 1;
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    const error = await store
      .setVariables(OWNER, task.taskId, { numbers })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LimitExceededError);
    expect(error).toMatchObject({ limit: 'recordSize', max: DEFAULT_LIMITS.maxRecordBytes });
    expect(reads).toBeLessThanOrEqual(DEFAULT_LIMITS.maxRecordBytes / 9 + 1);

    let getterReads = 0;
    const wide = {};
    for (let n = 0; n < 50_000; n += 1) {
      Object.defineProperty(wide, `key${n}`, {
        enumerable: true,
        get: () => {
          getterReads += 1;
          return n;
        },
      });
    }
    await expect(store.setVariables(OWNER, task.taskId, wide)).rejects.toMatchObject({
      limit: 'recordSize',
    });
    expect(getterReads).toBeLessThanOrEqual(DEFAULT_LIMITS.maxRecordBytes / 16 + 1);
  });

  it('refuses an object of 1,000,000 keys with LimitExceededError', async () => {
    const { store, backend } = makeStore();
    const task = await store.create(OWNER);
    const before = await dump(backend, ownerPrefix(OWNER));
    const keys = Object.fromEntries(
      Array.from({ length: 1_000_000 }, (_, n) => [`k${n}`, n] as const),
    );
    const startedAt = performance.now();
    const error = await store
      .setVariables(OWNER, task.taskId, keys)
      .catch((caught: unknown) => caught);
    const elapsedMs = performance.now() - startedAt;
    expect(error).toBeInstanceOf(LimitExceededError);
    expect(error).toMatchObject({ limit: 'recordSize', code: -32602 });
    console.log(`setVariables refused a 1,000,000-key object in ${elapsedMs.toFixed(0)} ms`);
    expect(await dump(backend, ownerPrefix(OWNER))).toEqual(before);
  }, 30_000);
});
