import { describe, expect, it } from '@jest/globals';
import {
  CapacityExceededError,
  type JsonObject,
  type JsonValue,
  LimitExceededError,
  TaskStorageError,
} from '@tasks/core';
import { queryRawPartition, readRawItem } from './support/raw-items.js';
import { rejectionOf } from './support/rejection.js';
import { storeOn, useTestTable } from './support/table.js';

/** Five strings of 60,000 characters: a 300 KB record, under the 350,000-byte default limit. */
function largeVariables(): JsonObject {
  return Object.fromEntries(
    Array.from({ length: 5 }, (_, index) => [`part${index}`, String(index).repeat(60_000)]),
  );
}

function nested(depth: number): JsonValue {
  let value: JsonValue = 'bottom';
  for (let level = 0; level < depth; level += 1) value = { level: value };
  return value;
}

describe('GenericTaskStore on DynamoDB: size limits write nothing', () => {
  const table = useTestTable('limits');

  it('refuses a task whose record would pass maxRecordBytes, and writes no item', async () => {
    const store = storeOn(table());
    const owner = 'too-large-at-birth';
    const error = await rejectionOf(
      store.create(owner, { variables: { ...largeVariables(), more: 'm'.repeat(60_000) } }),
    );
    expect(error).toBeInstanceOf(LimitExceededError);
    expect(error).toMatchObject({ limit: 'recordSize', max: 350_000 });
    expect((await queryRawPartition(table(), owner)).items).toEqual([]);
  });

  it('refuses variables or a result that would grow a record past the limit; the item stays as it was', async () => {
    const store = storeOn(table());
    const owner = 'growing-owner';
    const { taskId } = await store.create(owner, { variables: largeVariables() });
    const before = await readRawItem(table(), owner, taskId);

    await expect(
      store.setVariables(owner, taskId, { more: 'm'.repeat(60_000) }),
    ).rejects.toMatchObject({ name: 'LimitExceededError', limit: 'recordSize' });
    await expect(
      store.storeResult(owner, taskId, 'completed', { text: 'r'.repeat(60_000) }),
    ).rejects.toMatchObject({ name: 'LimitExceededError', limit: 'recordSize' });

    expect(await readRawItem(table(), owner, taskId)).toEqual(before);
    expect((await store.get(owner, taskId)).status).toBe('working');
  });

  it('refuses too deep variables and too long strings before any write', async () => {
    const store = storeOn(table());
    const owner = 'malformed-input-owner';
    await expect(store.create(owner, { variables: { deep: nested(40) } })).rejects.toMatchObject({
      name: 'LimitExceededError',
      limit: 'variableDepth',
    });
    await expect(
      store.create(owner, { variables: { long: 'l'.repeat(70_000) } }),
    ).rejects.toMatchObject({ name: 'LimitExceededError', limit: 'stringLength' });
    expect((await queryRawPartition(table(), owner)).items).toEqual([]);

    const { taskId } = await store.create(owner);
    const before = await readRawItem(table(), owner, taskId);
    await expect(store.setVariables(owner, taskId, { deep: nested(40) })).rejects.toMatchObject({
      limit: 'variableDepth',
    });
    await expect(store.setStatusMessage(owner, taskId, 's'.repeat(70_000))).rejects.toMatchObject({
      limit: 'stringLength',
    });
    expect(await readRawItem(table(), owner, taskId)).toEqual(before);
  });

  it('stores a record just under 350,000 bytes in one DynamoDB item and reads it back whole', async () => {
    const store = storeOn(table());
    const owner = 'near-the-limit';
    const task = await store.create(owner, { variables: largeVariables() });
    const baseBytes = Buffer.byteLength(
      String((await readRawItem(table(), owner, task.taskId))?.data),
    );
    const filler = 'f'.repeat(349_900 - baseBytes - Buffer.byteLength(',"filler":""'));
    const updated = await store.setVariables(owner, task.taskId, { filler });

    const item = await readRawItem(table(), owner, task.taskId);
    const bytes = Buffer.byteLength(String(item?.data));
    expect(bytes).toBeGreaterThan(349_000);
    expect(bytes).toBeLessThanOrEqual(350_000);
    expect(await store.get(owner, task.taskId)).toEqual(updated);
    expect(updated.variables.filler).toBe(filler);
  });

  it('turns DynamoDB’s item size limit into a typed storage error when the store allows more', async () => {
    const store = storeOn(table(), {
      limits: { maxRecordBytes: 1_000_000, maxStringLength: 1_000_000 },
    });
    const owner = 'past-dynamodb-item-size';
    const error = await rejectionOf(
      store.create(owner, { variables: { blob: 'b'.repeat(450_000) } }),
    );
    expect(error).toBeInstanceOf(TaskStorageError);
    expect((error as TaskStorageError).cause).toBeInstanceOf(CapacityExceededError);
    expect((await queryRawPartition(table(), owner)).items).toEqual([]);
  });

  it('caps the active tasks of one owner and counts only those not yet terminal', async () => {
    const store = storeOn(table(), { limits: { maxActiveTasksPerOwner: 3 } });
    const owner = 'busy-owner';
    const first = await store.create(owner);
    await store.create(owner);
    await store.create(owner);
    await expect(store.create(owner)).rejects.toMatchObject({
      name: 'LimitExceededError',
      limit: 'activeTasks',
      actual: 3,
      max: 3,
    });
    expect((await queryRawPartition(table(), owner)).items).toHaveLength(3);

    await store.storeResult(owner, first.taskId, 'completed', null);
    await store.create(owner);
    expect((await queryRawPartition(table(), owner)).items).toHaveLength(4);
  });

  it('refuses a listing page larger than the limit', async () => {
    const store = storeOn(table());
    await expect(store.list('any-owner', { pageSize: 1_001 })).rejects.toMatchObject({
      name: 'LimitExceededError',
      limit: 'pageSize',
    });
  });
});
