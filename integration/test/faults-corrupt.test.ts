import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, jest } from '@jest/globals';
import {
  BackendError,
  GenericTaskStore,
  newTaskId,
  recordKey,
  type TaskSnapshot,
  TaskStorageError,
} from '@tasks/core';
import { DynamoDbBackend } from '@tasks/dynamodb';
import type { TestTable } from '../src/index.js';
import { readRawItem, taskItemKey } from './support/raw-items.js';
import { rejectionOf } from './support/rejection.js';
import { backendOn, storeOn, useTestTable } from './support/table.js';

/** `data` values a hand-written item may hold that are not a task record. */
const CORRUPT_DATA = {
  truncated: '{"schema":1,"owner":"corrupt-owner","taskId":"',
  notAnObject: '[1, 2, 3]',
  unknownStatus: JSON.stringify({
    schema: 1,
    owner: 'corrupt-owner',
    taskId: 'x',
    status: 'exploded',
    createdAt: '2026-01-01T00:00:00.000Z',
    lastUpdatedAt: '2026-01-01T00:00:00.000Z',
    ttl: null,
    variables: {},
  }),
};

/** Writes an item by hand, as a bad migration or a console edit would. */
async function writeRawItem(
  table: TestTable,
  owner: string,
  taskId: string,
  attributes: Record<string, unknown>,
): Promise<void> {
  await table.documentClient.send(
    new PutCommand({
      TableName: table.tableName,
      Item: { ...taskItemKey(owner, taskId), version: 1, ...attributes },
    }),
  );
}

describe('faults: items corrupted by hand', () => {
  const table = useTestTable('corrupt');

  it('names the key of a task whose data is not a task record, and changes nothing', async () => {
    const store = storeOn(table());
    const owner = 'corrupt-owner';
    for (const [label, data] of Object.entries(CORRUPT_DATA)) {
      const taskId = newTaskId(Date.now());
      await writeRawItem(table(), owner, taskId, { data });
      const before = await readRawItem(table(), owner, taskId);
      const key = recordKey(owner, taskId);

      const error = await rejectionOf(store.get(owner, taskId));
      expect({ label, error }).toEqual({ label, error: expect.any(TaskStorageError) });
      expect((error as TaskStorageError).message).toContain(key);
      expect((error as TaskStorageError).code).toBe(-32603);
      expect(((error as TaskStorageError).cause as Error).name).toBe('UnreadableRecordError');

      for (const change of [
        store.setVariables(owner, taskId, { repaired: true }),
        store.cancel(owner, taskId),
        store.storeResult(owner, taskId, 'completed', 1),
      ]) {
        const refused = await rejectionOf(change);
        expect(refused).toBeInstanceOf(TaskStorageError);
        expect((refused as Error).message).toContain(key);
      }
      expect(await readRawItem(table(), owner, taskId)).toEqual(before);
    }
  });

  it('lists the other tasks of the owner and reports each unreadable one', async () => {
    const owner = 'listing-past-corruption';
    const store = storeOn(table());
    const good: TaskSnapshot[] = [];
    const corruptKeys: string[] = [];
    for (const data of Object.values(CORRUPT_DATA)) {
      good.push(await store.create(owner, { variables: { index: good.length } }));
      const taskId = newTaskId(Date.now());
      await writeRawItem(table(), owner, taskId, { data });
      corruptKeys.push(recordKey(owner, taskId));
    }
    good.push(await store.create(owner, { variables: { index: good.length } }));

    const unreadable = jest.fn();
    const listed = await storeOn(table(), { onUnreadableRecord: unreadable }).list(owner);
    expect(listed.tasks).toEqual([...good].reverse());
    expect(listed.nextCursor).toBeUndefined();
    expect(unreadable.mock.calls.map(([key]) => key).sort()).toEqual([...corruptKeys].sort());

    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.list(owner, { pageSize: 1, ...(cursor ? { cursor } : {}) });
      paged.push(...page.tasks.map((task) => task.taskId));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(paged).toEqual([...good].reverse().map((task) => task.taskId));
  });

  it('names the key of an item whose data attribute is not a string', async () => {
    const owner = 'wrong-type-owner';
    const taskId = newTaskId(Date.now());
    await writeRawItem(table(), owner, taskId, { data: 42 });
    const key = recordKey(owner, taskId);

    const backendError = await rejectionOf(backendOn(table()).get(key));
    expect(backendError).toBeInstanceOf(BackendError);
    expect((backendError as BackendError).message).toContain(key);

    const storeError = await rejectionOf(storeOn(table()).get(owner, taskId));
    expect(storeError).toBeInstanceOf(TaskStorageError);
    expect((storeError as Error).message).toContain(key);
  });

  it('lists the other tasks when an item of the owner has data that is not a string', async () => {
    const owner = 'wrong-type-listing';
    const good = await storeOn(table()).create(owner);
    const taskId = newTaskId(Date.now());
    await writeRawItem(table(), owner, taskId, { data: 42 });
    const later = await storeOn(table()).create(owner);
    const reported: BackendError[] = [];
    const store = new GenericTaskStore({
      backend: new DynamoDbBackend({
        client: table().documentClient,
        tableName: table().tableName,
        onMalformedItem: (error) => reported.push(error),
      }),
    });
    const listed = await store.list(owner);
    expect(listed.tasks.map((task) => task.taskId)).toEqual([later.taskId, good.taskId]);
    expect(await store.create(owner)).toMatchObject({ status: 'working' });
    expect(reported.map((error) => error.key)).toContain(recordKey(owner, taskId));
  });
});
