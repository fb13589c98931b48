import { ContractOnlyBackend } from '../../src/testing/contract-only-backend.js';
import { describe, expect, it } from '@jest/globals';
import { InterferingBackend, makeStore } from '../helpers.js';
import type { StorageBackend } from '../../src/backend/contract.js';
import { ownerPrefix } from '../../src/store/keys.js';
import type { InMemoryBackend } from '../../src/backend/memory-backend.js';
import { GenericTaskStore } from '../../src/store/store.js';
import { GenericTaskMessageQueue } from '../../src/queue/message-queue.js';
import {
  MessageQueueConflictError,
  MessageQueueFullError,
} from '../../src/queue/message-queue-errors.js';
import { queueKey } from '../../src/queue/message-queue-record.js';
import { BackendError } from '../../src/backend/errors.js';
import {
  InvalidParamsError,
  LimitExceededError,
  TaskNotFoundError,
  TaskStorageError,
} from '../../src/store/task-errors.js';
import { newTaskId } from '../../src/store/task-id.js';

const OWNER = 'queue-owner';

/** A store and a queue on one in-memory backend and one fake clock. */
function setup(backendFor?: (inner: InMemoryBackend) => StorageBackend) {
  const made = makeStore({}, backendFor);
  const queue = new GenericTaskMessageQueue({ store: made.store });
  return { ...made, queue };
}

function message(n: number | string) {
  return { type: 'notification', message: { method: 'notifications/progress', n } };
}

/** Holds back the first queue create (`putIfVersion` from version 0) until `release()` is called. */
class GatedCreateBackend extends ContractOnlyBackend {
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;
  gatedCreateStarted = false;

  constructor(inner: StorageBackend) {
    super(inner);
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open?.();
  }

  override async putIfVersion(key: string, data: string, expectedVersion: number): Promise<number> {
    if (this.gate && expectedVersion === 0 && key.includes('#queue:')) {
      const gate = this.gate;
      this.gate = undefined;
      this.gatedCreateStarted = true;
      await gate;
    }
    return super.putIfVersion(key, data, expectedVersion);
  }
}

describe('GenericTaskMessageQueue', () => {
  it('returns messages first in, first out, then undefined', async () => {
    const { store, queue } = setup();
    const { taskId } = await store.create(OWNER);
    for (const n of [1, 2, 3]) await queue.enqueue(OWNER, taskId, message(n));
    expect(await queue.dequeue(OWNER, taskId)).toEqual(message(1));
    await queue.enqueue(OWNER, taskId, message(4));
    expect(await queue.dequeue(OWNER, taskId)).toEqual(message(2));
    expect(await queue.dequeue(OWNER, taskId)).toEqual(message(3));
    expect(await queue.dequeue(OWNER, taskId)).toEqual(message(4));
    expect(await queue.dequeue(OWNER, taskId)).toBeUndefined();
  });

  it('empties the queue with dequeueAll, oldest first, and keeps working afterwards', async () => {
    const { store, queue } = setup();
    const { taskId } = await store.create(OWNER);
    expect(await queue.dequeueAll(OWNER, taskId)).toEqual([]);
    for (const n of [1, 2, 3]) await queue.enqueue(OWNER, taskId, message(n));
    expect(await queue.dequeueAll(OWNER, taskId)).toEqual([message(1), message(2), message(3)]);
    expect(await queue.dequeueAll(OWNER, taskId)).toEqual([]);
    expect(await queue.dequeue(OWNER, taskId)).toBeUndefined();
    await queue.enqueue(OWNER, taskId, message(5), 1);
    expect(await queue.dequeueAll(OWNER, taskId)).toEqual([message(5)]);
  });

  it('enforces maxSize without changing the queue', async () => {
    const { store, queue, memory } = setup();
    const { taskId } = await store.create(OWNER);
    await queue.enqueue(OWNER, taskId, message(1), 2);
    await queue.enqueue(OWNER, taskId, message(2), 2);
    const before = await memory.get(queueKey(OWNER, taskId));
    const error = await queue.enqueue(OWNER, taskId, message(3), 2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MessageQueueFullError);
    expect(error).toMatchObject({ code: -32603, taskId, size: 2, maxSize: 2 });
    expect(await memory.get(queueKey(OWNER, taskId))).toEqual(before);
    await expect(queue.enqueue(OWNER, taskId, message(3), 3)).resolves.toBeUndefined();
  });

  it('refuses every message when maxSize is 0, even on a new queue', async () => {
    const { store, queue } = setup();
    const { taskId } = await store.create(OWNER);
    await expect(queue.enqueue(OWNER, taskId, message(1), 0)).rejects.toBeInstanceOf(
      MessageQueueFullError,
    );
    expect(await queue.dequeueAll(OWNER, taskId)).toEqual([]);
  });

  it.each([
    ['a new queue', 0],
    ['an existing queue', 1],
  ])('never overfills %s under 40 concurrent enqueues', async (_label, existing) => {
    const { store, queue } = setup();
    const { taskId } = await store.create(OWNER);
    for (let n = 0; n < existing; n += 1) await queue.enqueue(OWNER, taskId, message(`old${n}`));
    const outcomes = await Promise.allSettled(
      Array.from({ length: 40 }, (_, n) => queue.enqueue(OWNER, taskId, message(n), 7)),
    );
    const accepted = outcomes.flatMap((outcome, n) =>
      outcome.status === 'fulfilled' ? [message(n)] : [],
    );
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(accepted).toHaveLength(7 - existing);
    for (const outcome of refused) {
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(MessageQueueFullError);
    }
    const stored = await queue.dequeueAll(OWNER, taskId);
    expect(stored).toHaveLength(7);
    expect(stored.slice(existing)).toEqual(expect.arrayContaining(accepted));
  });

  it('loses no message when many writers create the same queue at once', async () => {
    const { store, queue } = setup();
    const { taskId } = await store.create(OWNER);
    await Promise.all(
      Array.from({ length: 25 }, (_, n) => queue.enqueue(OWNER, taskId, message(n))),
    );
    const stored = await queue.dequeueAll(OWNER, taskId);
    expect(stored).toHaveLength(25);
    expect(stored).toEqual(
      expect.arrayContaining(Array.from({ length: 25 }, (_, n) => message(n))),
    );
  });

  it('lets a writer that lost the creation race append after the winner, not over it', async () => {
    let gated: GatedCreateBackend | undefined;
    const { store, queue, clock } = setup((inner) => {
      gated = new GatedCreateBackend(inner);
      return gated;
    });
    const other = new GenericTaskMessageQueue({
      store: new GenericTaskStore({ backend: store.backend, clock }),
    });
    const { taskId } = await store.create(OWNER);
    const late = queue.enqueue(OWNER, taskId, message('late'));
    while (!gated?.gatedCreateStarted) await Promise.resolve();
    await other.enqueue(OWNER, taskId, message('first'));
    await other.enqueue(OWNER, taskId, message('second'));
    gated.release();
    await late;
    expect(await queue.dequeueAll(OWNER, taskId)).toEqual([
      message('first'),
      message('second'),
      message('late'),
    ]);
  });

  it('binds a queue to its owner: another owner neither reads it nor writes to it', async () => {
    const { store, queue } = setup();
    const { taskId } = await store.create(OWNER);
    await queue.enqueue(OWNER, taskId, message(1));
    expect(await queue.dequeue('intruder', taskId)).toBeUndefined();
    expect(await queue.dequeueAll('intruder', taskId)).toEqual([]);
    await expect(queue.enqueue('intruder', taskId, message(2))).rejects.toBeInstanceOf(
      TaskNotFoundError,
    );
    expect(await queue.dequeueAll(OWNER, taskId)).toEqual([message(1)]);
  });

  it('refuses unknown and malformed task ids without writing anything', async () => {
    const { queue, memory, clock } = setup();
    for (const taskId of [newTaskId(clock.now()), 'not-a-task-id', '']) {
      await expect(queue.enqueue(OWNER, taskId, message(1))).rejects.toBeInstanceOf(
        TaskNotFoundError,
      );
      expect(await queue.dequeue(OWNER, taskId)).toBeUndefined();
    }
    expect(await memory.listByPrefix(ownerPrefix(OWNER, 'queue'))).toEqual([]);
  });

  it('expires with its task', async () => {
    const { store, queue, memory, clock } = setup();
    const task = await store.create(OWNER, { ttl: 60_000 });
    await queue.enqueue(OWNER, task.taskId, message(1));
    const stored = JSON.parse((await memory.get(queueKey(OWNER, task.taskId))).data) as {
      expiresAt: string;
    };
    expect(stored.expiresAt).toBe(task.expiresAt);
    clock.advance(60_000);
    expect(await queue.dequeue(OWNER, task.taskId)).toBeUndefined();
    await expect(queue.enqueue(OWNER, task.taskId, message(2))).rejects.toBeInstanceOf(
      TaskNotFoundError,
    );
  });

  it('keeps queues out of task listings', async () => {
    const { store, queue } = setup();
    const { taskId } = await store.create(OWNER);
    await queue.enqueue(OWNER, taskId, message(1));
    const { tasks } = await store.list(OWNER);
    expect(tasks.map((task) => task.taskId)).toEqual([taskId]);
  });

  it('rejects bad input with a typed error and leaves the queue as it was', async () => {
    const { store, queue, memory } = setup();
    const { taskId } = await store.create(OWNER);
    await queue.enqueue(OWNER, taskId, message(1));
    const before = await memory.get(queueKey(OWNER, taskId));
    const bad: unknown[] = [null, [], 'text', { n: Number.NaN }, { f: () => 1 }];
    for (const value of bad) {
      await expect(
        queue.enqueue(OWNER, taskId, value as Record<string, never>),
      ).rejects.toBeInstanceOf(InvalidParamsError);
    }
    for (const maxSize of [-1, 1.5, Number.NaN]) {
      await expect(queue.enqueue(OWNER, taskId, message(2), maxSize)).rejects.toBeInstanceOf(
        InvalidParamsError,
      );
    }
    await expect(queue.enqueue('', taskId, message(2))).rejects.toBeInstanceOf(InvalidParamsError);
    expect(await memory.get(queueKey(OWNER, taskId))).toEqual(before);
  });

  it('refuses a message that would make the queue larger than maxRecordBytes', async () => {
    const made = makeStore();
    const queue = new GenericTaskMessageQueue({ store: made.store, maxRecordBytes: 600 });
    const { taskId } = await made.store.create(OWNER);
    await queue.enqueue(OWNER, taskId, { text: 'x'.repeat(300) });
    const error = await queue
      .enqueue(OWNER, taskId, { text: 'y'.repeat(300) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LimitExceededError);
    expect(error).toMatchObject({ limit: 'recordSize', max: 600 });
    expect(await queue.dequeueAll(OWNER, taskId)).toEqual([{ text: 'x'.repeat(300) }]);
  });

  it('waits before each retry after losing a race', async () => {
    const waits: number[] = [];
    const made = makeStore(
      { retryWait: async (attempt) => void waits.push(attempt) },
      (inner) => new InterferingBackend(inner, 2),
    );
    const queue = new GenericTaskMessageQueue({ store: made.store });
    const { taskId } = await made.store.create(OWNER);
    await queue.enqueue(OWNER, taskId, message(1));
    await queue.enqueue(OWNER, taskId, message(2));
    expect(waits).toEqual([1, 2]);
    expect(await queue.dequeueAll(OWNER, taskId)).toEqual([message(1), message(2)]);
  });

  it('gives up with MessageQueueConflictError after maxAttempts lost races', async () => {
    const made = makeStore({ maxAttempts: 3 }, (inner) => new InterferingBackend(inner, 100));
    const queue = new GenericTaskMessageQueue({ store: made.store });
    const { taskId } = await made.store.create(OWNER);
    await queue.enqueue(OWNER, taskId, message(1));
    const error = await queue.enqueue(OWNER, taskId, message(2)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MessageQueueConflictError);
    expect(error).toMatchObject({ code: -32603, attempts: 3 });
    await expect(queue.dequeue(OWNER, taskId)).rejects.toBeInstanceOf(MessageQueueConflictError);
  });

  it('surfaces backend failures as TaskStorageError with the cause kept', async () => {
    const failure = new BackendError('get', 'k', new Error('throttled'));
    const made = makeStore(
      {},
      (inner) =>
        new (class extends ContractOnlyBackend {
          override get(): never {
            throw failure;
          }
        })(inner),
    );
    const queue = new GenericTaskMessageQueue({ store: made.store });
    const error = await queue.dequeue(OWNER, newTaskId(made.clock.now())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskStorageError);
    expect(error).toMatchObject({ code: -32603, cause: failure });
  });

  it('rejects options that make no sense', () => {
    const { store } = makeStore();
    expect(() => new GenericTaskMessageQueue({ store, maxRecordBytes: 0 })).toThrow(RangeError);
    expect(() => new GenericTaskMessageQueue({ store, maxRecordBytes: -5 })).toThrow(RangeError);
    expect(() => new GenericTaskMessageQueue({} as unknown as { store: GenericTaskStore })).toThrow(
      TypeError,
    );
  });
});
