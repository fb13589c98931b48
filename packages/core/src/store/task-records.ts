import { serializeWithin } from '../common/json-limits.js';
import { toTaskError } from '../records/storage-failures.js';
import { VersionedRecords } from '../records/versioned-records.js';
import { idOfKey, ownerPrefix } from './keys.js';
import { settleLapsedLease } from './lease.js';
import type { ResolvedStoreOptions } from './store-options.js';
import { isTerminalStatus, type TaskSnapshot } from './task.js';
import { TaskConflictError, TaskNotFoundError } from './task-errors.js';
import { isTaskId } from './task-id.js';
import { isRecordExpired, parseTaskRecord, snapshotOf, type TaskRecord } from './task-record.js';

/** Task keys remembered at most (see `keyOf`). */
const REMEMBERED_KEYS = 10_000;

/** A change of a task record, with a value it computes beside the record. */
export type TaskChange<T> = (record: TaskRecord) => { record: TaskRecord; value: T };

/**
 * The store's storage mechanics for task records: keys, reads that hide other owners' and expired
 * tasks (and settle lapsed leases), and changes written by compare-and-swap through
 * `VersionedRecords`. Every domain rule is the caller's.
 */
export class TaskRecords {
  private readonly records: VersionedRecords<TaskRecord>;
  private readonly keys = new Map<string, Map<string, string>>();
  private rememberedKeys = 0;

  constructor(private readonly options: ResolvedStoreOptions) {
    const maxRecordBytes = options.limits.maxRecordBytes;
    this.records = new VersionedRecords<TaskRecord>(
      {
        parse: parseTaskRecord,
        serialize: (record) => serializeWithin(record, maxRecordBytes, 'Task record'),
      },
      {
        backend: options.backend,
        maxAttempts: options.maxAttempts,
        retryWait: options.retryWait,
        cacheSize: options.cacheSize,
        conflictError: (key, attempts) => new TaskConflictError(idOfKey(key), attempts),
        storageError: toTaskError,
      },
    );
  }

  /** Writes a new task record (a create: no read before it). */
  create(record: TaskRecord): Promise<TaskSnapshot> {
    return this.records.change(
      this.keyOf(record.owner, record.taskId),
      'create',
      (current) => {
        if (current !== undefined) throw new TaskConflictError(record.taskId, 1);
        return { next: record, value: snapshotOf(record) };
      },
      true,
    );
  }

  /**
   * The owner's task, or `TaskNotFoundError`. A task whose worker's lease lapsed reads as `failed`
   * and is written so once, by whichever instance reads it first.
   */
  get(owner: string, taskId: string): Promise<TaskSnapshot> {
    let key: string;
    try {
      key = this.keyOf(owner, taskId);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.records.read(key, 'get').then((stored) => {
      const record = this.live(stored?.record, owner, taskId);
      if (record === stored?.record) return snapshotOf(record);
      return this.change(owner, taskId, (current) => current, false);
    });
  }

  /**
   * Applies `apply` to the owner's live task and writes the result as one compare-and-swap with
   * every change of that task this store makes meanwhile; resolves with the task as written. An
   * `apply` that returns the record it was given writes nothing, unless reading it settled a lapsed
   * lease, which is then written once. `touch` stamps `lastUpdatedAt` (not for lease renewals).
   */
  async change(
    owner: string,
    taskId: string,
    apply: (record: TaskRecord) => TaskRecord,
    touch = true,
  ): Promise<TaskSnapshot> {
    const { task } = await this.changeWith(
      owner,
      taskId,
      (record) => ({ record: apply(record), value: undefined }),
      touch,
    );
    return task;
  }

  /** `change`, with a value the change computes beside the record (what it accepted, took...). */
  changeWith<T>(
    owner: string,
    taskId: string,
    apply: TaskChange<T>,
    touch = true,
  ): Promise<{ task: TaskSnapshot; value: T }> {
    const key = this.keyOf(owner, taskId);
    return this.records.change(key, 'update', (current) => {
      const record = this.live(current, owner, taskId);
      const { record: applied, value } = apply(record);
      if (applied === record) {
        const result = { task: snapshotOf(record), value };
        return record === current ? { value: result } : { next: record, value: result };
      }
      const next = touch ? this.touched(applied) : applied;
      return { next, value: { task: snapshotOf(next), value } };
    });
  }

  /**
   * Whether a task counted in the active index is still active (for pruning the index). A task this
   * store saw end needs no read: a terminal status never changes.
   */
  async activityOf(owner: string, taskId: string): Promise<'active' | 'inactive' | 'missing'> {
    const key = `${ownerPrefix(owner)}${taskId}`;
    const now = this.options.clock.now();
    const ended = (record: TaskRecord): boolean =>
      isRecordExpired(record, now) || isTerminalStatus(settleLapsedLease(record, now).status);
    const cached = this.records.cached(key);
    if (cached !== undefined && ended(cached)) return 'inactive';
    const stored = await this.records.read(key, 'create');
    if (stored === undefined) return 'missing';
    return ended(stored.record) ? 'inactive' : 'active';
  }

  /**
   * What a record met in a listing is for `owner` at `now`: its snapshot, `'expired'` (the cache
   * forgets it; the listing deletes it), or `'skip'` (unreadable, reported; another owner's).
   */
  listed(owner: string, key: string, data: string, now: number): TaskSnapshot | 'expired' | 'skip' {
    let record: TaskRecord;
    try {
      record = parseTaskRecord(key, data);
    } catch (error) {
      this.options.onUnreadableRecord(key, error as Error);
      return 'skip';
    }
    if (record.owner !== owner) return 'skip';
    if (isRecordExpired(record, now)) {
      this.records.forget(key);
      return 'expired';
    }
    return snapshotOf(settleLapsedLease(record, now));
  }

  /**
   * The key of the owner's task; `TaskNotFoundError` for anything that is not a task id. Keys of
   * recently used tasks are remembered, so a hot task's key is built and checked once, and the
   * backend sees the same string each time.
   */
  private keyOf(owner: string, taskId: string): string {
    const known = this.keys.get(owner)?.get(taskId);
    if (known !== undefined) return known;
    const prefix = ownerPrefix(owner);
    if (!isTaskId(taskId)) {
      throw new TaskNotFoundError(typeof taskId === 'string' ? taskId : `(a ${typeof taskId})`);
    }
    const key = `${prefix}${taskId}`;
    if (this.rememberedKeys >= REMEMBERED_KEYS) {
      this.keys.clear();
      this.rememberedKeys = 0;
    }
    let ofOwner = this.keys.get(owner);
    if (ofOwner === undefined) {
      ofOwner = new Map();
      this.keys.set(owner, ofOwner);
    }
    ofOwner.set(taskId, key);
    this.rememberedKeys += 1;
    return key;
  }

  /**
   * `record` as it reads now when it is the owner's live task `taskId` (a lapsed lease settled
   * as `failed`), else `TaskNotFoundError`.
   */
  private live(record: TaskRecord | undefined, owner: string, taskId: string): TaskRecord {
    const now = this.options.clock.now();
    if (
      record === undefined ||
      record.owner !== owner ||
      record.taskId !== taskId ||
      isRecordExpired(record, now)
    ) {
      throw new TaskNotFoundError(taskId);
    }
    return settleLapsedLease(record, now);
  }

  private touched(record: TaskRecord): TaskRecord {
    return { ...record, lastUpdatedAt: new Date(this.options.clock.now()).toISOString() };
  }
}
