import type { VersionedRecord } from '../backend/contract.js';
import { serializeWithin } from '../common/json-limits.js';
import { recordKey } from './keys.js';
import type { ResolvedStoreOptions } from './store-options.js';
import { isErrorNamed, toTaskError } from '../records/storage-failures.js';
import { TaskConflictError, TaskNotFoundError } from './task-errors.js';
import { isTaskId } from './task-id.js';
import { isRecordExpired, parseTaskRecord, type TaskRecord } from './task-record.js';

/** A task record read from the backend, with the version to compare-and-swap against. */
export interface ReadTask {
  /** The record's key. */
  key: string;
  /** The task as stored. */
  record: TaskRecord;
  /** The version to compare-and-swap against. */
  version: number;
}

/**
 * The store's storage mechanics: reads that hide other owners' and expired tasks, serialization
 * within the size limit, and mutations as read, validate, `putIfVersion`, retried on conflict.
 */
export class StoreMutator {
  constructor(private readonly options: ResolvedStoreOptions) {}

  /** Reads the owner's live task; `TaskNotFoundError` when it is missing, expired or another owner's. */
  async read(owner: string, taskId: string): Promise<ReadTask> {
    const key = recordKey(owner, taskId);
    if (!isTaskId(taskId)) throw new TaskNotFoundError(String(taskId));
    let stored: VersionedRecord;
    try {
      stored = await this.options.backend.get(key);
    } catch (error) {
      if (isErrorNamed(error, 'NotFoundError')) throw new TaskNotFoundError(taskId);
      throw toTaskError('get', key, error);
    }
    const record = this.parse(key, stored.data);
    if (
      record.owner !== owner ||
      record.taskId !== taskId ||
      isRecordExpired(record, this.options.clock.now())
    ) {
      throw new TaskNotFoundError(taskId);
    }
    return { key, record, version: stored.version };
  }

  /** Parses a record met in a listing; reports and skips (returns undefined) an unreadable one. */
  readListed(key: string, data: string): TaskRecord | undefined {
    try {
      return parseTaskRecord(key, data);
    } catch (error) {
      this.options.onUnreadableRecord(key, error as Error);
      return undefined;
    }
  }

  /**
   * Applies `change` to the current record and writes it only if nobody wrote in between (a
   * `change` that returns the record it was given writes nothing); on a
   * conflict, waits (`retryWait`), re-reads and re-applies (so `change` re-validates), up to
   * `maxAttempts` times.
   */
  async mutate(
    owner: string,
    taskId: string,
    change: (record: TaskRecord) => TaskRecord,
  ): Promise<TaskRecord> {
    for (let attempt = 1; attempt <= this.options.maxAttempts; attempt += 1) {
      const { key, record, version } = await this.read(owner, taskId);
      const next = change(record);
      if (next === record) return record;
      const data = this.serialize(next);
      try {
        await this.options.backend.putIfVersion(key, data, version);
        return next;
      } catch (error) {
        if (isErrorNamed(error, 'VersionConflictError')) {
          if (attempt < this.options.maxAttempts) await this.options.retryWait(attempt);
          continue;
        }
        if (isErrorNamed(error, 'NotFoundError')) throw new TaskNotFoundError(taskId);
        throw toTaskError('update', key, error);
      }
    }
    throw new TaskConflictError(taskId, this.options.maxAttempts);
  }

  /** The record's JSON text, or `LimitExceededError` when it is larger than `maxRecordBytes`. */
  serialize(record: TaskRecord): string {
    return serializeWithin(record, this.options.limits.maxRecordBytes, 'Task record');
  }

  private parse(key: string, data: string): TaskRecord {
    try {
      return parseTaskRecord(key, data);
    } catch (error) {
      throw toTaskError('get', key, error);
    }
  }
}
