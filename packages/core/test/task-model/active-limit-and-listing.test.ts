import { describe, expect, it } from '@jest/globals';
import { ACTIVE_INDEX_NAMESPACE, RESERVATION_GRACE_MS } from '../../src/store/active-index.js';
import { ownerPrefix, recordKey } from '../../src/store/keys.js';
import { GenericTaskStore } from '../../src/store/store.js';
import { LimitExceededError } from '../../src/store/task-errors.js';
import { ContractOnlyBackend } from '../../src/testing/contract-only-backend.js';
import { CountingBackend } from '../../src/testing/counting-backend.js';
import { makeStore } from '../helpers.js';

const OWNER = 'limited-owner';

describe('the exact active-task limit', () => {
  it('lets exactly 10 of 50 parallel creates through five instances pass a limit of 10', async () => {
    const { backend, clock } = makeStore();
    const instances = Array.from(
      { length: 5 },
      () => new GenericTaskStore({ backend, clock, limits: { maxActiveTasksPerOwner: 10 } }),
    );
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, n) => (instances[n % 5] as GenericTaskStore).create(OWNER)),
    );
    const created = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    expect(created).toHaveLength(10);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        expect(outcome.reason).toBeInstanceOf(LimitExceededError);
        expect(outcome.reason).toMatchObject({ limit: 'activeTasks', max: 10 });
      }
    }
    const listed = await (instances[0] as GenericTaskStore).list(OWNER, { pageSize: 100 });
    expect(listed.tasks).toHaveLength(10);
  });

  it('frees the slot of a finished, failed, cancelled or expired task at the next create that needs it', async () => {
    const { store, clock } = makeStore({ limits: { maxActiveTasksPerOwner: 4 } });
    const tasks = await Promise.all([0, 1, 2, 3].map(() => store.create(OWNER, { ttl: 60_000 })));
    await expect(store.create(OWNER)).rejects.toBeInstanceOf(LimitExceededError);
    const [done, failed, cancelled] = tasks;
    await store.storeResult(OWNER, done?.taskId as string, 'completed', {});
    await store.fail(OWNER, failed?.taskId as string, { code: -32000, message: 'no' });
    await store.cancel(OWNER, cancelled?.taskId as string);
    await Promise.all([0, 1, 2].map(() => store.create(OWNER, { ttl: 120_000 })));
    await expect(store.create(OWNER)).rejects.toBeInstanceOf(LimitExceededError);
    clock.advance(60_000);
    await store.create(OWNER);
    await expect(store.create(OWNER)).rejects.toBeInstanceOf(LimitExceededError);
  });

  it('counts a create that crashed between reserving and writing only for the grace period', async () => {
    const made = makeStore({ limits: { maxActiveTasksPerOwner: 2 } });
    let crash = true;
    const crashing = new (class extends ContractOnlyBackend {
      override async putIfVersion(key: string, data: string, expected: number): Promise<number> {
        if (crash && expected === 0 && !key.includes(`#${ACTIVE_INDEX_NAMESPACE}:`)) {
          crash = false;
          throw new Error('process killed before the task was written');
        }
        return super.putIfVersion(key, data, expected);
      }
    })(made.memory);
    const store = new GenericTaskStore({
      backend: crashing,
      clock: made.clock,
      limits: { maxActiveTasksPerOwner: 2 },
    });
    await expect(store.create(OWNER)).rejects.toThrow('process killed');
    await store.create(OWNER);
    await expect(store.create(OWNER)).rejects.toBeInstanceOf(LimitExceededError);
    made.clock.advance(RESERVATION_GRACE_MS);
    await store.create(OWNER);
    await expect(store.create(OWNER)).rejects.toBeInstanceOf(LimitExceededError);
  });

  it('costs two writes per create at an owner with a long history (one read and one write more per five creates, to prune)', async () => {
    const made = makeStore({ limits: { maxActiveTasksPerOwner: 5 } });
    const counting = new CountingBackend(made.memory);
    const store = new GenericTaskStore({
      backend: counting,
      clock: made.clock,
      limits: { maxActiveTasksPerOwner: 5 },
    });
    for (let n = 0; n < 400; n += 1) {
      const { taskId } = await store.create(OWNER);
      await store.storeResult(OWNER, taskId, 'completed', { n });
    }
    counting.reset();
    for (let n = 0; n < 40; n += 1) {
      const { taskId } = await store.create(OWNER);
      await store.cancel(OWNER, taskId);
    }
    expect(counting.calls).toEqual({ get: 40 / 5, putIfVersion: 40 + 40 + 40 / 5 + 40 });
  });
});

describe('listing past expired tasks', () => {
  it('reads at most three pages to skip 300 expired tasks, deletes them, and a second listing reads one', async () => {
    const { store, memory, clock } = makeStore({ limits: { maxActiveTasksPerOwner: null } });
    const live = await store.create(OWNER, { ttl: 3_600_000 });
    clock.advance(1);
    for (let n = 0; n < 300; n += 1) {
      await store.create(OWNER, { ttl: 1_000 });
      clock.advance(1);
    }
    clock.advance(1_000);
    const limits: number[] = [];
    const original = memory.listPageByPrefix.bind(memory);
    memory.listPageByPrefix = async (prefix, request) => {
      limits.push(request.limit);
      return original(prefix, request);
    };
    const first = await store.list(OWNER, { pageSize: 1 });
    expect(first.tasks.map((task) => task.taskId)).toEqual([live.taskId]);
    expect(first.nextCursor).toBeUndefined();
    expect(limits.length).toBeLessThanOrEqual(3);
    expect(await memory.cleanupExpired()).toBe(0);
    expect(await memory.listByPrefix(ownerPrefix(OWNER))).toHaveLength(1);
    limits.length = 0;
    expect((await store.list(OWNER, { pageSize: 1 })).tasks).toHaveLength(1);
    expect(limits).toEqual([2]);
    expect(await memory.get(recordKey(OWNER, live.taskId))).toMatchObject({ version: 1 });
  });
});
