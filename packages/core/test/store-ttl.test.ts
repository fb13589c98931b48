import { describe, expect, it } from '@jest/globals';
import { ownerPrefix, recordKey } from '../src/store/keys.js';
import { InMemoryBackend } from '../src/backend/memory-backend.js';
import { GenericTaskStore } from '../src/store/store.js';
import { FakeClock } from '../src/testing/fake-clock.js';
import { InvalidParamsError, TaskNotFoundError } from '../src/store/task-errors.js';
import { makeStore } from './helpers.js';

const OWNER = 'ttl-owner';

describe('GenericTaskStore TTL', () => {
  it('measures TTL from creation and hides the task afterwards for every operation', async () => {
    const { store, clock } = makeStore();
    const task = await store.create(OWNER, { ttl: 60_000 });
    expect(task.expiresAt).toBe(new Date(clock.now() + 60_000).toISOString());
    clock.advance(30_000);
    await store.updateStatus(OWNER, task.taskId, 'input_required');
    clock.advance(29_999);
    expect((await store.get(OWNER, task.taskId)).status).toBe('input_required');
    clock.advance(1);
    await expect(store.get(OWNER, task.taskId)).rejects.toBeInstanceOf(TaskNotFoundError);
    await expect(store.updateStatus(OWNER, task.taskId, 'working')).rejects.toBeInstanceOf(
      TaskNotFoundError,
    );
    await expect(store.setVariables(OWNER, task.taskId, { a: 1 })).rejects.toBeInstanceOf(
      TaskNotFoundError,
    );
    await expect(store.storeResult(OWNER, task.taskId, 'completed', {})).rejects.toBeInstanceOf(
      TaskNotFoundError,
    );
    await expect(store.cancel(OWNER, task.taskId)).rejects.toBeInstanceOf(TaskNotFoundError);
    await expect(store.getResult(OWNER, task.taskId)).rejects.toBeInstanceOf(TaskNotFoundError);
    expect((await store.list(OWNER)).tasks).toEqual([]);
  });

  it('keeps the expiry fixed from creation however often the task changes', async () => {
    const { store, clock } = makeStore();
    const task = await store.create(OWNER, { ttl: 10_000 });
    for (let step = 0; step < 5; step += 1) {
      clock.advance(1_000);
      expect((await store.setVariables(OWNER, task.taskId, { step })).expiresAt).toBe(
        task.expiresAt,
      );
    }
    clock.advance(5_000);
    await expect(store.get(OWNER, task.taskId)).rejects.toBeInstanceOf(TaskNotFoundError);
  });

  it('hides an expired task even when the backend still returns it', async () => {
    const backendClock = new FakeClock(Date.parse('2026-03-01T12:00:00.000Z'));
    const storeClock = new FakeClock(backendClock.now());
    const backend = new InMemoryBackend({ clock: backendClock });
    const store = new GenericTaskStore({ backend, clock: storeClock });
    const task = await store.create(OWNER, { ttl: 1_000 });
    storeClock.advance(5_000);
    expect((await backend.get(recordKey(OWNER, task.taskId))).version).toBe(1);
    expect(await backend.listByPrefix(ownerPrefix(OWNER))).toHaveLength(1);
    await expect(store.get(OWNER, task.taskId)).rejects.toBeInstanceOf(TaskNotFoundError);
    await expect(store.cancel(OWNER, task.taskId)).rejects.toBeInstanceOf(TaskNotFoundError);
    expect((await store.list(OWNER)).tasks).toEqual([]);
  });

  it('clamps a TTL above the maximum and returns the granted value', async () => {
    const { store } = makeStore({ maxTtlMs: 120_000 });
    expect((await store.create(OWNER, { ttl: 10_000_000 })).ttl).toBe(120_000);
    expect((await store.create(OWNER, { ttl: 5_000 })).ttl).toBe(5_000);
  });

  it('grants an unlimited TTL only when configured, and clamps null otherwise', async () => {
    const limited = makeStore({ maxTtlMs: 120_000 });
    expect((await limited.store.create(OWNER, { ttl: null })).ttl).toBe(120_000);
    const unlimited = makeStore({ allowUnlimitedTtl: true });
    const task = await unlimited.store.create(OWNER, { ttl: null });
    expect(task.ttl).toBeNull();
    expect(task.expiresAt).toBeUndefined();
    unlimited.clock.advance(365 * 86_400_000);
    expect((await unlimited.store.get(OWNER, task.taskId)).taskId).toBe(task.taskId);
  });

  it('uses the configured default TTL and rejects nonsense TTLs', async () => {
    const { store } = makeStore({ defaultTtlMs: 42_000 });
    expect((await store.create(OWNER)).ttl).toBe(42_000);
    for (const ttl of [
      0,
      -1,
      1.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      '60' as unknown as number,
    ]) {
      await expect(store.create(OWNER, { ttl })).rejects.toBeInstanceOf(InvalidParamsError);
    }
    expect((await store.list(OWNER)).tasks).toHaveLength(1);
  });

  it('rejects store options that make no sense', () => {
    expect(() => makeStore({ defaultTtlMs: 10, maxTtlMs: 5 })).toThrow(RangeError);
    expect(() => makeStore({ pageSize: 0 })).toThrow(RangeError);
    expect(() => makeStore({ limits: { maxRecordBytes: -1 } })).toThrow(RangeError);
  });

  it('asks the backend to remove expired records', async () => {
    const { store, clock } = makeStore();
    await store.create(OWNER, { ttl: 1_000 });
    await store.create(OWNER, { ttl: 1_000 });
    await store.create(OWNER, { ttl: 60_000 });
    clock.advance(2_000);
    expect(await store.cleanupExpired()).toBe(2);
    expect((await store.list(OWNER)).tasks).toHaveLength(1);
  });
});
