import { beforeAll, describe, expect, it } from '@jest/globals';
import { ownerPrefix, recordKey, type TaskSnapshot } from '@tasks/core';
import { FakeClock } from '@tasks/core/testing';
import { queryRawPartition } from './support/raw-items.js';
import { backendOn, storeOn, useTestTable } from './support/table.js';

/** Tasks of one owner; with their variables they hold about 1.4 MB, over DynamoDB's 1 MB Query page. */
const TASK_COUNT = 45;
const BLOB_CHARACTERS = 30_000;
const QUERY_PAGE_BYTES = 1024 * 1024;

describe('GenericTaskStore on DynamoDB: listing an owner past 1 MB', () => {
  const table = useTestTable('listing');
  const owner = 'owner-with-megabytes';
  const clock = new FakeClock(Date.now());
  const created: TaskSnapshot[] = [];

  /** Newest first: each task was created a second after the one before. */
  const newestFirstIds = () => [...created].reverse().map((task) => task.taskId);

  beforeAll(async () => {
    const store = storeOn(table(), { clock, limits: { maxActiveTasksPerOwner: null } });
    for (let index = 0; index < TASK_COUNT; index += 1) {
      clock.advance(1_000);
      created.push(
        await store.create(owner, {
          variables: { index, blob: String(index % 10).repeat(BLOB_CHARACTERS) },
        }),
      );
    }
  });

  it('holds more than 1 MB for the owner, which DynamoDB returns in several Query pages', async () => {
    const { items, pages } = await queryRawPartition(table(), owner);
    const bytes = items.reduce((sum, item) => sum + Buffer.byteLength(String(item.data)), 0);
    expect(items).toHaveLength(TASK_COUNT);
    expect(bytes).toBeGreaterThan(QUERY_PAGE_BYTES);
    expect(pages).toBeGreaterThan(1);

    const listed = await backendOn(table(), clock).listByPrefix(ownerPrefix(owner));
    expect(listed.map(([key]) => key)).toEqual(
      created.map((task) => recordKey(owner, task.taskId)),
    );
  });

  it('lists every task in one page when the page is large enough, newest first', async () => {
    const store = storeOn(table(), { clock });
    const page = await store.list(owner, { pageSize: 50 });
    expect(page.tasks.map((task) => task.taskId)).toEqual(newestFirstIds());
    expect(page.nextCursor).toBeUndefined();
    expect(page.tasks[0]).toEqual(created.at(-1));
  });

  it('walks every task exactly once with cursors, ten at a time', async () => {
    const store = storeOn(table(), { clock });
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.list(owner, { pageSize: 10, ...(cursor ? { cursor } : {}) });
      sizes.push(page.tasks.length);
      seen.push(...page.tasks.map((task) => task.taskId));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(sizes).toEqual([10, 10, 10, 10, 5]);
    expect(seen).toEqual(newestFirstIds());
  });

  it('keeps a cursor correct when the task it points at and the next one vanish between pages', async () => {
    const store = storeOn(table(), { clock });
    const backend = backendOn(table(), clock);
    const vanishingOwner = 'owner-whose-tasks-vanish';
    const ids: string[] = [];
    for (let index = 0; index < 12; index += 1) {
      clock.advance(1_000);
      ids.unshift((await store.create(vanishingOwner)).taskId);
    }
    const first = await store.list(vanishingOwner, { pageSize: 5 });
    expect(first.tasks.map((task) => task.taskId)).toEqual(ids.slice(0, 5));
    for (const id of ids.slice(4, 6)) {
      expect(await backend.delete(recordKey(vanishingOwner, id))).toBe(true);
    }

    const rest: string[] = [];
    let cursor = first.nextCursor;
    while (cursor !== undefined) {
      const page = await store.list(vanishingOwner, { pageSize: 5, cursor });
      rest.push(...page.tasks.map((task) => task.taskId));
      cursor = page.nextCursor;
    }
    expect(rest).toEqual(ids.slice(6));
  });
});
