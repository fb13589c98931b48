import {
  assertExpectedVersion,
  type KeyedRecord,
  type PagedListing,
  type PageRequest,
  type RecordPage,
  type StorageBackend,
  type VersionedRecord,
} from './contract.js';
import { type Clock, systemClock } from '../common/clock.js';
import { expiresAtOf, isExpired } from './expiry.js';
import { CapacityExceededError, NotFoundError, VersionConflictError } from './errors.js';

/** Options of `InMemoryBackend`. */
export interface InMemoryBackendOptions {
  /** The time source for expiry (default: system time). */
  clock?: Clock;
  /** The most live records it holds; a write of a new key beyond it throws `CapacityExceededError`. */
  maxRecords?: number;
}

interface StoredRecord {
  data: string;
  version: number;
  expiresAt: number | undefined;
  /** What reads return: frozen, made once per write, so a read allocates nothing. */
  record: Readonly<VersionedRecord>;
}

/**
 * The reference backend: records in a Map, expiry checked on every read, expired records held
 * (invisible) until `cleanupExpired` or a full store removes them. For tests, development and
 * single-process servers; everything is lost when the process ends.
 */
export class InMemoryBackend implements StorageBackend, PagedListing {
  private readonly records = new Map<string, StoredRecord>();
  private readonly clock: Clock;
  private readonly maxRecords: number | undefined;

  constructor(options: InMemoryBackendOptions = {}) {
    this.clock = options.clock ?? systemClock;
    if (
      options.maxRecords !== undefined &&
      !(Number.isInteger(options.maxRecords) && options.maxRecords > 0)
    ) {
      throw new RangeError('maxRecords must be a positive integer');
    }
    this.maxRecords = options.maxRecords;
  }

  /** Reads the live record at `key`. */
  async get(key: string): Promise<VersionedRecord> {
    const stored = this.live(key);
    if (!stored) throw new NotFoundError(key);
    return stored.record;
  }

  /**
   * Writes `data` at `key`; the version continues from the record held there (an expired one
   * included, until `cleanupExpired` removes it, as DynamoDB's does until TTL deletes it), or
   * starts at 1.
   */
  async put(key: string, data: string): Promise<number> {
    const held = this.records.get(key);
    if (!held) this.ensureRoomForNewKey(key);
    const version = (held?.version ?? 0) + 1;
    this.records.set(key, storedRecord(data, version));
    return version;
  }

  /**
   * Writes `data` only when the live record's version is `expectedVersion` (0: only when there is
   * none). Repeating a write that landed (same data, the record still at the version it made)
   * returns that version again and writes nothing, as a resend must.
   */
  async putIfVersion(key: string, data: string, expectedVersion: number): Promise<number> {
    assertExpectedVersion(expectedVersion);
    const current = this.live(key);
    if (current?.version === expectedVersion + 1 && current.data === data) return current.version;
    if (expectedVersion === 0) {
      if (current) throw conflictAt(key, 0, current);
      if (!this.records.has(key)) this.ensureRoomForNewKey(key);
      this.records.set(key, storedRecord(data, 1));
      return 1;
    }
    if (!current) throw new NotFoundError(key);
    if (current.version !== expectedVersion) {
      throw conflictAt(key, expectedVersion, current);
    }
    const version = current.version + 1;
    this.records.set(key, storedRecord(data, version));
    return version;
  }

  /** Deletes `key`; true when a live record was there. */
  async delete(key: string): Promise<boolean> {
    const existed = this.live(key) !== undefined;
    this.records.delete(key);
    return existed;
  }

  /** Every live record under `prefix`, in ascending key order. */
  async listByPrefix(prefix: string): Promise<KeyedRecord[]> {
    return this.liveKeysUnder(prefix).map((key) => this.keyed(key));
  }

  /**
   * One page under `prefix`, in descending key order, below `beforeKey`: `limit` records are read,
   * held expired ones included (as DynamoDB's `Limit` counts the items it evaluates); the expired
   * ones are left out of `records` and named in `expiredKeys`.
   */
  async listPageByPrefix(prefix: string, request: PageRequest): Promise<RecordPage> {
    const keys = [...this.records.keys()]
      .filter((key) => key.startsWith(prefix))
      .filter((key) => request.beforeKey === undefined || key < request.beforeKey)
      .sort(compareKeys)
      .reverse();
    const read = keys.slice(0, request.limit);
    const records = read
      .filter((key) => this.live(key) !== undefined)
      .map((key) => this.keyed(key));
    const expiredKeys = read.filter((key) => this.live(key) === undefined);
    const last = read.at(-1);
    return {
      records,
      ...(expiredKeys.length > 0 ? { expiredKeys } : {}),
      ...(keys.length > request.limit && last !== undefined ? { nextBeforeKey: last } : {}),
    };
  }

  /** Removes every expired record; returns how many. */
  async cleanupExpired(): Promise<number> {
    return this.removeExpired();
  }

  private removeExpired(): number {
    const now = this.clock.now();
    let removed = 0;
    for (const [key, stored] of this.records) {
      if (isExpired(stored.expiresAt, now)) {
        this.records.delete(key);
        removed += 1;
      }
    }
    return removed;
  }

  /** The record at `key` unless it has expired; an expired one stays held until `cleanupExpired`. */
  private live(key: string): StoredRecord | undefined {
    const stored = this.records.get(key);
    if (!stored || isExpired(stored.expiresAt, this.clock.now())) return undefined;
    return stored;
  }

  private liveKeysUnder(prefix: string): string[] {
    return [...this.records.keys()]
      .filter((key) => key.startsWith(prefix) && this.live(key) !== undefined)
      .sort(compareKeys);
  }

  private keyed(key: string): KeyedRecord {
    const stored = this.records.get(key) as StoredRecord;
    return [key, stored.record];
  }

  private ensureRoomForNewKey(key: string): void {
    if (this.maxRecords === undefined || this.records.size < this.maxRecords) return;
    this.removeExpired();
    if (this.records.size >= this.maxRecords) {
      throw new CapacityExceededError(
        `In-memory backend is full: it holds its maximum of ${this.maxRecords} records`,
        key,
      );
    }
  }
}

function storedRecord(data: string, version: number): StoredRecord {
  return {
    data,
    version,
    expiresAt: expiresAtOf(data),
    record: Object.freeze({ data, version }),
  };
}

function conflictAt(key: string, expected: number, current: StoredRecord): VersionConflictError {
  return new VersionConflictError(key, expected, current.version, {
    data: current.data,
    version: current.version,
  });
}

function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
