import { describe, expect, it } from '@jest/globals';
import {
  encodeOwner,
  InvalidCursorError,
  InvalidTransitionError,
  TaskNotReadyError,
  TaskResultUnavailableError,
} from '@tasks/core';
import { readRawItem } from './support/raw-items.js';
import { storeOn, useTestTable } from './support/table.js';

describe('GenericTaskStore on DynamoDB: lifecycle', () => {
  const table = useTestTable('lifecycle');

  it('creates a task, moves it through input_required and back, and stores its result', async () => {
    const store = storeOn(table());
    const owner = 'lifecycle-owner';
    const created = await store.create(owner, {
      ttl: 120_000,
      pollInterval: 500,
      requestMethod: 'tools/call',
      variables: { step: 0 },
      statusMessage: 'queued',
    });
    expect(created).toMatchObject({
      status: 'working',
      ttl: 120_000,
      pollInterval: 500,
      requestMethod: 'tools/call',
      variables: { step: 0 },
      statusMessage: 'queued',
      hasResult: false,
    });
    expect(await store.get(owner, created.taskId)).toEqual(created);

    const item = await readRawItem(table(), owner, created.taskId);
    expect(item).toMatchObject({
      PK: `OWNER#${encodeOwner(owner)}`,
      SK: `TASK#${created.taskId}`,
      version: 1,
      expires_at: Math.ceil(Date.parse(created.expiresAt ?? '') / 1000),
      expires_at_ms: Date.parse(created.expiresAt ?? ''),
    });
    expect(JSON.parse(String(item?.data))).toMatchObject({
      owner,
      taskId: created.taskId,
      status: 'working',
      variables: { step: 0 },
    });

    const id = created.taskId;
    expect(await store.updateStatus(owner, id, 'input_required', 'need an answer')).toMatchObject({
      status: 'input_required',
      statusMessage: 'need an answer',
    });
    expect((await store.updateStatus(owner, id, 'working')).status).toBe('working');
    await store.setVariables(owner, id, { step: 1, answer: 'yes' });
    await expect(store.getResult(owner, id)).rejects.toBeInstanceOf(TaskNotReadyError);
    const result = { content: [{ type: 'text', text: 'done' }] };
    const completed = await store.storeResult(owner, id, 'completed', result, 'finished');
    expect(completed).toMatchObject({
      status: 'completed',
      statusMessage: 'finished',
      hasResult: true,
      variables: { step: 1, answer: 'yes' },
    });
    expect(await store.getResult(owner, id)).toEqual(result);
    expect(await store.get(owner, id)).toEqual(completed);
    expect((await readRawItem(table(), owner, id))?.version).toBe(5);
  });

  it('refuses every status change of a terminal task and leaves its item exactly as it was', async () => {
    const store = storeOn(table());
    const owner = 'terminal-owner';
    const { taskId } = await store.create(owner);
    await store.storeResult(owner, taskId, 'completed', { ok: true });
    const before = await readRawItem(table(), owner, taskId);

    const refusals = [
      store.updateStatus(owner, taskId, 'working'),
      store.updateStatus(owner, taskId, 'failed'),
      store.cancel(owner, taskId),
      store.storeResult(owner, taskId, 'failed', { ok: false }),
      store.setStatusMessage(owner, taskId, 'still going?'),
    ];
    for (const refusal of refusals) {
      await expect(refusal).rejects.toBeInstanceOf(InvalidTransitionError);
    }
    expect(await readRawItem(table(), owner, taskId)).toEqual(before);
    expect(await store.getResult(owner, taskId)).toEqual({ ok: true });
  });

  it('cancels a working task, after which it has no result', async () => {
    const store = storeOn(table());
    const owner = 'cancel-owner';
    const { taskId } = await store.create(owner);
    expect(await store.cancel(owner, taskId, 'user asked')).toMatchObject({
      status: 'cancelled',
      statusMessage: 'user asked',
      hasResult: false,
    });
    await expect(store.getResult(owner, taskId)).rejects.toBeInstanceOf(TaskResultUnavailableError);
  });

  it('stores a failed result with its error payload', async () => {
    const store = storeOn(table());
    const owner = 'failed-owner';
    const { taskId } = await store.create(owner);
    const error = { isError: true, content: [{ type: 'text', text: 'tool crashed' }] };
    expect((await store.storeResult(owner, taskId, 'failed', error)).status).toBe('failed');
    expect(await store.getResult(owner, taskId)).toEqual(error);
  });

  it('grants the TTL it can and keeps the item expires_at in step with it', async () => {
    const owner = 'ttl-owner';
    const clamped = storeOn(table(), { maxTtlMs: 600_000, defaultTtlMs: 300_000 });
    expect((await clamped.create(owner)).ttl).toBe(300_000);
    expect((await clamped.create(owner, { ttl: 10_000_000 })).ttl).toBe(600_000);
    expect((await clamped.create(owner, { ttl: null })).ttl).toBe(600_000);

    const unlimited = storeOn(table(), { allowUnlimitedTtl: true });
    const forever = await unlimited.create(owner, { ttl: null });
    expect(forever.ttl).toBeNull();
    expect(forever.expiresAt).toBeUndefined();
    const item = await readRawItem(table(), owner, forever.taskId);
    expect(item).toBeDefined();
    expect(item).not.toHaveProperty('expires_at');
  });

  it('lists an owner newest first, page by page, and refuses a cursor it did not issue', async () => {
    const store = storeOn(table());
    const owner = 'listing-owner';
    const created = [];
    for (let index = 0; index < 5; index += 1) {
      created.push(await store.create(owner, { variables: { index } }));
    }
    const newestFirst = [...created].sort((a, b) => b.taskId.localeCompare(a.taskId));
    const first = await store.list(owner, { pageSize: 2 });
    const second = await store.list(owner, { pageSize: 2, cursor: first.nextCursor });
    const third = await store.list(owner, { pageSize: 2, cursor: second.nextCursor });
    expect([first, second, third].map((page) => page.tasks.length)).toEqual([2, 2, 1]);
    expect(third.nextCursor).toBeUndefined();
    expect([...first.tasks, ...second.tasks, ...third.tasks]).toEqual(newestFirst);
    await expect(store.list(owner, { cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
  });

  it('leaves removal of expired items to DynamoDB TTL: cleanupExpired removes nothing', async () => {
    const store = storeOn(table());
    const owner = 'cleanup-owner';
    const { taskId } = await store.create(owner);
    expect(await store.cleanupExpired()).toBe(0);
    expect((await store.get(owner, taskId)).taskId).toBe(taskId);
  });
});
