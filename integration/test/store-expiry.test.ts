import { describe, expect, it } from '@jest/globals';
import { GenericTaskStore, recordKey, TaskNotFoundError } from '@tasks/core';
import { FakeClock } from '@tasks/core/testing';
import { readRawItem } from './support/raw-items.js';
import { backendOn, storeOn, useTestTable } from './support/table.js';

const MINUTE_MS = 60_000;

describe('GenericTaskStore on DynamoDB: expiry on read', () => {
  const table = useTestTable('expiry');

  it('keeps a task until its TTL ends, then hides it although the item is still in the table, until a listing deletes it', async () => {
    const clock = new FakeClock(Date.now());
    const store = storeOn(table(), { clock });
    const owner = 'expiry-owner';
    const shortLived = await store.create(owner, { ttl: MINUTE_MS, variables: { doomed: true } });
    const longLived = await store.create(owner, { ttl: 60 * MINUTE_MS });

    clock.advance(MINUTE_MS - 1_000);
    expect((await store.get(owner, shortLived.taskId)).taskId).toBe(shortLived.taskId);

    clock.advance(MINUTE_MS + 1_000);
    await expectGoneForTheStore(store, owner, shortLived.taskId);

    const item = await readRawItem(table(), owner, shortLived.taskId);
    expect(item).toMatchObject({ version: 1 });
    expect(Number(item?.expires_at) * 1000).toBeLessThanOrEqual(clock.now());
    expect(JSON.parse(String(item?.data))).toMatchObject({
      taskId: shortLived.taskId,
      expiresAt: shortLived.expiresAt,
      variables: { doomed: true },
    });

    expect((await store.list(owner)).tasks.map((task) => task.taskId)).toEqual([longLived.taskId]);
    expect(await readRawItem(table(), owner, shortLived.taskId)).toBeUndefined();
  });

  it('keeps a task to the exact millisecond of its TTL: created at second + 0.600, ttl 1000 ms', async () => {
    const second = Math.floor(Date.now() / 1000) * 1000;
    const clock = new FakeClock(second + 600);
    const store = storeOn(table(), { clock });
    const owner = 'precise-owner';
    const task = await store.create(owner, { ttl: 1_000 });
    clock.advance(500);
    expect((await store.get(owner, task.taskId)).taskId).toBe(task.taskId);
    clock.advance(499);
    expect((await store.get(owner, task.taskId)).taskId).toBe(task.taskId);
    expect((await store.list(owner)).tasks.map((listed) => listed.taskId)).toEqual([task.taskId]);
    clock.advance(1);
    await expectGoneForTheStore(store, owner, task.taskId);
    const item = await readRawItem(table(), owner, task.taskId);
    expect(item).toMatchObject({ expires_at: second / 1000 + 2, expires_at_ms: second + 1_600 });
  });

  it('hides an expired task by the store’s own clock even when the backend’s clock calls it live, and a listing deletes it', async () => {
    const clock = new FakeClock(Date.now());
    const store = new GenericTaskStore({ backend: backendOn(table()), clock });
    const owner = 'store-clock-owner';
    const task = await store.create(owner, { ttl: MINUTE_MS });
    clock.advance(2 * MINUTE_MS);

    await expectGoneForTheStore(store, owner, task.taskId);
    expect(await backendOn(table()).get(recordKey(owner, task.taskId))).toMatchObject({
      version: 1,
    });
    expect((await readRawItem(table(), owner, task.taskId))?.version).toBe(1);
    expect((await store.list(owner)).tasks).toEqual([]);
    expect(await readRawItem(table(), owner, task.taskId)).toBeUndefined();
  });
});

/** Every operation on the task fails as for a missing task, and none of them writes. */
async function expectGoneForTheStore(
  store: GenericTaskStore,
  owner: string,
  taskId: string,
): Promise<void> {
  const calls = [
    store.get(owner, taskId),
    store.getResult(owner, taskId),
    store.setVariables(owner, taskId, { late: true }),
    store.updateStatus(owner, taskId, 'input_required'),
    store.storeResult(owner, taskId, 'completed', { late: true }),
    store.cancel(owner, taskId),
  ];
  for (const call of calls) await expect(call).rejects.toBeInstanceOf(TaskNotFoundError);
}
