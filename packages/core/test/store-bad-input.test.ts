import { describe, expect, it } from '@jest/globals';
import { InMemoryBackend } from '../src/backend/memory-backend.js';
import { GenericTaskMessageQueue } from '../src/queue/message-queue.js';
import { ownerPrefix } from '../src/store/keys.js';
import { GenericTaskStore } from '../src/store/store.js';
import { MAX_TTL_SETTING_MS } from '../src/store/store-options.js';
import { InvalidParamsError, TaskNotFoundError } from '../src/store/task-errors.js';
import { dump, makeStore } from './helpers.js';

const OWNER = 'careful';

describe('GenericTaskStore bad input', () => {
  it('rejects every malformed argument with InvalidParamsError (-32602) and changes nothing', async () => {
    const { store, backend } = makeStore();
    const task = await store.create(OWNER, { variables: { keep: true }, statusMessage: 'start' });
    const before = await dump(backend, ownerPrefix(OWNER));
    const attempts: Array<[string, () => Promise<unknown>]> = [
      ['unknown status', () => store.updateStatus(OWNER, task.taskId, 'paused' as never)],
      [
        'result with cancelled',
        () => store.storeResult(OWNER, task.taskId, 'cancelled' as never, {}),
      ],
      ['result with working', () => store.storeResult(OWNER, task.taskId, 'working' as never, {})],
      [
        'non-string message',
        () => store.updateStatus(OWNER, task.taskId, 'input_required', 5 as never),
      ],
      ['params not an object', () => store.create(OWNER, 'fast' as never)],
      ['params an array', () => store.create(OWNER, [] as never)],
      ['zero poll interval', () => store.create(OWNER, { pollInterval: 0 })],
      ['fractional poll interval', () => store.create(OWNER, { pollInterval: 1.5 })],
      ['non-string request method', () => store.create(OWNER, { requestMethod: {} as never })],
      ['variables not an object', () => store.create(OWNER, { variables: [] as never })],
      ['patch not an object', () => store.setVariables(OWNER, task.taskId, 'x' as never)],
      [
        'undefined result',
        () => store.storeResult(OWNER, task.taskId, 'completed', undefined as never),
      ],
      ['empty owner', () => store.get('', task.taskId)],
    ];
    for (const [label, attempt] of attempts) {
      const error = await attempt().then(
        () => `${label}: no error`,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(InvalidParamsError);
      expect(error).toMatchObject({ name: 'InvalidParamsError', code: -32602 });
    }
    expect(await dump(backend, ownerPrefix(OWNER))).toEqual(before);
    expect(await store.get(OWNER, task.taskId)).toEqual(task);
  });
});

describe('GenericTaskStore hostile input', () => {
  it('refuses sparse arrays in variables, results and messages with InvalidParamsError, writing nothing', async () => {
    const { store, backend } = makeStore();
    const queue = new GenericTaskMessageQueue({ store });
    const task = await store.create(OWNER, { variables: { keep: [1, 2] } });
    const before = await dump(backend, ownerPrefix(OWNER));
    // eslint-disable-next-line no-sparse-arrays
    const holey = [, 1];
    const attempts: Array<() => Promise<unknown>> = [
      () => store.setVariables(OWNER, task.taskId, { a: holey } as never),
      () => store.setVariables(OWNER, task.taskId, { deep: { list: [1, new Array(3)] } } as never),
      () => store.storeResult(OWNER, task.taskId, 'completed', new Array(3) as never),
      () => store.storeResult(OWNER, task.taskId, 'failed', { a: holey } as never),
      () => store.create(OWNER, { variables: { a: holey } as never }),
      () => queue.enqueue(OWNER, task.taskId, { list: holey } as never),
    ];
    for (const attempt of attempts) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InvalidParamsError);
      expect((error as Error).message).toMatch(/is an empty slot \(a sparse array\)$/);
    }
    expect(await dump(backend, ownerPrefix(OWNER))).toEqual(before);
    expect(await dump(backend, ownerPrefix(OWNER, 'queue'))).toEqual([]);
  });

  it('answers a Symbol task id as an unknown task in every operation, never with a raw TypeError', async () => {
    const { store, backend } = makeStore();
    const queue = new GenericTaskMessageQueue({ store });
    await store.create(OWNER);
    const before = await dump(backend, ownerPrefix(OWNER));
    const id = Symbol('task') as unknown as string;
    const operations: Array<[string, () => Promise<unknown>]> = [
      ['get', () => store.get(OWNER, id)],
      ['getResult', () => store.getResult(OWNER, id)],
      ['updateStatus', () => store.updateStatus(OWNER, id, 'input_required')],
      ['reportStatus', () => store.reportStatus(OWNER, id, 'working', 'progress')],
      ['setStatusMessage', () => store.setStatusMessage(OWNER, id, 'progress')],
      ['setVariables', () => store.setVariables(OWNER, id, { a: 1 })],
      ['storeResult', () => store.storeResult(OWNER, id, 'completed', {})],
      ['cancel', () => store.cancel(OWNER, id)],
      ['enqueue', () => queue.enqueue(OWNER, id, { n: 1 })],
      ['dequeue', () => queue.dequeue(OWNER, id)],
      ['dequeueAll', () => queue.dequeueAll(OWNER, id)],
    ];
    for (const [name, operation] of operations) {
      const error = await operation().then(
        () => new Error(`${name}: no error`),
        (caught: unknown) => caught,
      );
      expect({ name, error }).toEqual({ name, error: expect.any(TaskNotFoundError) });
      expect(error).toMatchObject({ code: -32602, taskId: '(a symbol)' });
    }
    expect(await dump(backend, ownerPrefix(OWNER))).toEqual(before);
  });

  it('answers a Symbol owner with InvalidParamsError', async () => {
    const { store } = makeStore();
    const owner = Symbol('owner') as unknown as string;
    await expect(store.create(owner)).rejects.toBeInstanceOf(InvalidParamsError);
    await expect(store.list(owner)).rejects.toBeInstanceOf(InvalidParamsError);
  });

  it('refuses, in the constructor, a maxTtlMs whose expiry would not be a valid date', () => {
    const backend = new InMemoryBackend();
    for (const maxTtlMs of [Number.MAX_SAFE_INTEGER, MAX_TTL_SETTING_MS + 1, 8.64e15]) {
      expect(() => new GenericTaskStore({ backend, maxTtlMs })).toThrow(
        new RangeError(
          `maxTtlMs must be at most ${MAX_TTL_SETTING_MS} (100 years), got ${maxTtlMs}`,
        ),
      );
    }
    for (const maxTtlMs of [Number.POSITIVE_INFINITY, Number.NaN, 0, -1, 1.5]) {
      expect(() => new GenericTaskStore({ backend, maxTtlMs })).toThrow(
        `maxTtlMs must be a positive integer, got ${maxTtlMs}`,
      );
    }
    expect(() => new GenericTaskStore({ backend, defaultTtlMs: Number.MAX_SAFE_INTEGER })).toThrow(
      RangeError,
    );
  });

  it('grants the longest maxTtlMs it accepts as a valid expiry', async () => {
    const { store, clock } = makeStore({ maxTtlMs: MAX_TTL_SETTING_MS });
    const task = await store.create(OWNER, { ttl: Number.MAX_SAFE_INTEGER });
    expect(task.ttl).toBe(MAX_TTL_SETTING_MS);
    expect(task.expiresAt).toBe(new Date(clock.now() + MAX_TTL_SETTING_MS).toISOString());
    const unlimited = await store.create(OWNER, { ttl: null });
    expect(unlimited.ttl).toBe(MAX_TTL_SETTING_MS);
    expect(await store.get(OWNER, task.taskId)).toEqual(task);
  });
});
