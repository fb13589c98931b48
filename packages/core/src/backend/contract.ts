/** Separates the encoded owner from the record id in every key; never present in an encoded owner. */
export const KEY_SEPARATOR = ':';

/** A stored value with its version. `data` is the text of a JSON object. */
export interface VersionedRecord {
  /** The JSON text exactly as written. */
  data: string;
  /** Starts at 1 and rises by exactly 1 with every successful write to the key. */
  version: number;
}

/** A key with the record stored under it. */
export type KeyedRecord = [key: string, record: VersionedRecord];

/**
 * The storage contract every backend implements. A backend knows nothing of tasks: it stores
 * JSON text under keys of the form `{encodedOwner}:{id}` and versions every write.
 *
 * When `data` has a top-level `expiresAt` (ISO 8601), the record expires at that exact
 * millisecond: a backend never returns it from then on (and always returns it before), `putIfVersion`
 * treats it as missing and `delete` reports it as not existing.
 *
 * Every write is exactly-once from the caller's view. A backend whose transport resends a request
 * (after a timeout or a reset connection) recognises its own applied write: a conditional write that
 * fails because the record already holds exactly the data it sent, at the version it would have
 * written, succeeded. A write whose outcome it cannot establish is a `WriteOutcomeUnknownError`,
 * never a second application and never a `VersionConflictError` or `NotFoundError`. (The store
 * makes every `data` it writes unique, so equal data means the same write.)
 */
export interface StorageBackend {
  /** Reads the record at `key`; throws `NotFoundError` when there is none. */
  get(key: string): Promise<VersionedRecord>;
  /**
   * Writes `data` unconditionally and atomically; returns the new version: 1 for a new key, the
   * held version plus 1 otherwise (an expired record the backend still holds included).
   */
  put(key: string, data: string): Promise<number>;
  /**
   * Writes only when the stored version is `expectedVersion`: `NotFoundError` (missing key) or
   * `VersionConflictError` otherwise, carrying the current record as `current` when the backend
   * has it at no extra cost (optional; the store reads it when absent). Idempotent: when the record
   * already holds exactly `data` at `expectedVersion + 1` (this write landed, and is being resent),
   * it returns that version and writes nothing. `expectedVersion` 0 means "absent": it creates the key at
   * version 1 only when no live record is there, and throws `VersionConflictError` when one is.
   * Any other `expectedVersion` than a non-negative integer is a `RangeError`, before any write.
   */
  putIfVersion(key: string, data: string, expectedVersion: number): Promise<number>;
  /** Deletes the record at `key`; returns whether a live record existed. */
  delete(key: string): Promise<boolean>;
  /** Every live record whose key starts with `prefix` (always `{encodedOwner}:`), in ascending key order. */
  listByPrefix(prefix: string): Promise<KeyedRecord[]>;
  /** Removes expired records the backend still holds; returns how many it removed. */
  cleanupExpired(): Promise<number>;
}

/** Options of one `listPageByPrefix` call. */
export interface PageRequest {
  /** The most records to return (at least 1). */
  limit: number;
  /** Start strictly below this key (exclusive); from the highest key when absent. */
  beforeKey?: string;
}

/** One page of records in descending key order. */
export interface RecordPage {
  /** Live records, highest key first, at most `limit` of them. */
  records: KeyedRecord[];
  /**
   * Where the next page starts (pass it as `beforeKey`) when keys below the last one read may still
   * hold records; absent at the end. A page may hold fewer than `limit` records (expired ones are
   * left out) and still have a next page.
   */
  nextBeforeKey?: string;
  /**
   * Keys of expired records the page read past and left out, when the backend knows them (the
   * store deletes them, so a later listing does not read past them again). Optional.
   */
  expiredKeys?: string[];
}

/**
 * An optional capability: a backend that can read one page of a prefix in descending key order
 * without reading the whole prefix. The store uses it for listing when present, so a page costs
 * the same whatever the owner's task count.
 */
export interface PagedListing {
  /** Reads up to `limit` live records under `prefix`, highest key first, strictly below `beforeKey`. */
  listPageByPrefix(prefix: string, request: PageRequest): Promise<RecordPage>;
}

/** Whether `backend` implements the optional `PagedListing` capability. */
export function supportsPagedListing(
  backend: StorageBackend,
): backend is StorageBackend & PagedListing {
  return typeof (backend as Partial<PagedListing>).listPageByPrefix === 'function';
}

/** Throws a `RangeError` unless `expectedVersion` is a non-negative safe integer. */
export function assertExpectedVersion(expectedVersion: number): void {
  if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0) {
    throw new RangeError(
      `expectedVersion must be a non-negative integer, got ${String(expectedVersion)}`,
    );
  }
}
