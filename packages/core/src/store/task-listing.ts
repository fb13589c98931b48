import {
  type KeyedRecord,
  type StorageBackend,
  supportsPagedListing,
} from '../backend/contract.js';
import { idOfKey } from './keys.js';

/** One page of keyed records, newest first, and whether more follow the last one. */
export interface ListedPage {
  /** The accepted records, highest key first. */
  records: KeyedRecord[];
  /** Whether accepted records follow the last one. */
  hasMore: boolean;
}

/** Decides whether a listed record counts (a live, readable task of the owner). */
export type RecordFilter = (record: KeyedRecord) => boolean;

/**
 * Reads up to `pageSize` accepted records under `prefix` in descending key order, strictly below
 * `beforeId`. Uses the backend's paged listing when it has one (the cost of a page does not grow
 * with the owner's task count), and reads the whole prefix otherwise.
 */
export async function listNewestFirst(
  backend: StorageBackend,
  prefix: string,
  beforeId: string | undefined,
  pageSize: number,
  accept: RecordFilter,
): Promise<ListedPage> {
  const beforeKey = beforeId === undefined ? undefined : `${prefix}${beforeId}`;
  if (!supportsPagedListing(backend)) {
    const all = (await backend.listByPrefix(prefix))
      .filter(([key]) => beforeKey === undefined || key < beforeKey)
      .reverse()
      .filter(accept);
    return { records: all.slice(0, pageSize), hasMore: all.length > pageSize };
  }
  const accepted: KeyedRecord[] = [];
  let cursor = beforeKey;
  for (;;) {
    const page = await backend.listPageByPrefix(prefix, {
      limit: pageSize + 1 - accepted.length,
      ...(cursor === undefined ? {} : { beforeKey: cursor }),
    });
    accepted.push(...page.records.filter(accept));
    if (accepted.length > pageSize) return { records: accepted.slice(0, pageSize), hasMore: true };
    if (page.nextBeforeKey === undefined) return { records: accepted, hasMore: false };
    cursor = page.nextBeforeKey;
  }
}

/** The task id of a listed record. */
export function taskIdOf([key]: KeyedRecord): string {
  return idOfKey(key);
}
