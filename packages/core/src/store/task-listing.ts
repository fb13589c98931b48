import {
  type KeyedRecord,
  type StorageBackend,
  supportsPagedListing,
} from '../backend/contract.js';
import type { TaskSnapshot } from './task.js';

/** One page of tasks, newest first, and whether more follow the last one. */
export interface ListedPage {
  /** The tasks of the page, newest first. */
  tasks: TaskSnapshot[];
  /** Whether live tasks follow the last one. */
  hasMore: boolean;
}

/**
 * What a listed record is: a live task of the owner (its snapshot), an expired one (deleted by the
 * listing, so it is paid for once), or something to skip (unreadable, another owner's).
 */
export type ListedRecord = TaskSnapshot | 'expired' | 'skip';

/** Classifies one listed record. */
export type RecordClassifier = (key: string, data: string) => ListedRecord;

/** How much faster each page read grows after expired records were met on the way. */
const GROWTH_AFTER_EXPIRED = 16;

/** The largest page read asked of a backend, however many expired records were met. */
const MAX_PAGE_READ = 1_000;

/** Expired records deleted at once. */
const DELETE_CONCURRENCY = 16;

/**
 * Reads up to `pageSize` live tasks under `prefix` in descending key order, strictly below
 * `beforeId`. Uses the backend's paged listing when it has one (the cost of a page does not grow
 * with the owner's task count), and reads the whole prefix otherwise. Expired records met on the way
 * are deleted (so the next listing does not pay for them again), and each page read after meeting
 * some asks for `GROWTH_AFTER_EXPIRED` times as many records as were skipped, so a run of expired
 * records costs a few reads, not one per record.
 */
export async function listLiveNewestFirst(
  backend: StorageBackend,
  prefix: string,
  beforeId: string | undefined,
  pageSize: number,
  classify: RecordClassifier,
): Promise<ListedPage> {
  const beforeKey = beforeId === undefined ? undefined : `${prefix}${beforeId}`;
  const tasks: TaskSnapshot[] = [];
  /** Expired records met: told by the backend (`expiredKeys`) or found so by the store's clock. */
  const expired: string[] = [];
  const take = (records: KeyedRecord[]): void => {
    for (const [key, { data }] of records) {
      const listed = classify(key, data);
      if (listed === 'expired') expired.push(key);
      else if (listed !== 'skip') tasks.push(listed);
    }
  };
  let hasMore: boolean;
  if (!supportsPagedListing(backend)) {
    const below = (await backend.listByPrefix(prefix))
      .filter(([key]) => beforeKey === undefined || key < beforeKey)
      .reverse();
    take(below);
    hasMore = tasks.length > pageSize;
  } else {
    let cursor = beforeKey;
    for (;;) {
      const wanted = pageSize + 1 - tasks.length;
      const limit = Math.min(MAX_PAGE_READ, wanted + expired.length * GROWTH_AFTER_EXPIRED);
      const page = await backend.listPageByPrefix(prefix, {
        limit,
        ...(cursor === undefined ? {} : { beforeKey: cursor }),
      });
      take(page.records);
      expired.push(...(page.expiredKeys ?? []));
      if (tasks.length > pageSize || page.nextBeforeKey === undefined) break;
      cursor = page.nextBeforeKey;
    }
    hasMore = tasks.length > pageSize;
  }
  await deleteAll(backend, expired);
  return { tasks: tasks.slice(0, pageSize), hasMore };
}

/** Deletes `keys`, a few at a time. */
async function deleteAll(backend: StorageBackend, keys: string[]): Promise<void> {
  for (let start = 0; start < keys.length; start += DELETE_CONCURRENCY) {
    await Promise.all(
      keys.slice(start, start + DELETE_CONCURRENCY).map((key) => backend.delete(key)),
    );
  }
}
