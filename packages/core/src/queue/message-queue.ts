import type { StorageBackend } from '../backend/contract.js';
import { type Clock, systemClock } from '../common/clock.js';
import { jitteredBackoff, type RetryWait } from '../common/retry-wait.js';
import { assertJsonObject, serializeWithin } from '../common/json-limits.js';
import { MessageQueueConflictError, MessageQueueFullError } from './message-queue-errors.js';
import {
  MESSAGE_QUEUE_SCHEMA,
  type MessageQueueRecord,
  parseQueueRecord,
  queueKey,
} from './message-queue-record.js';
import { guarded, isErrorNamed, toTaskError } from '../records/storage-failures.js';
import { GenericTaskStore } from '../store/store.js';
import { DEFAULT_LIMITS, requirePositiveSetting } from '../store/store-options.js';
import type { JsonObject } from '../store/task.js';
import { InvalidParamsError } from '../store/task-errors.js';
import { isTaskId } from '../store/task-id.js';
import { isRecordExpired } from '../store/task-record.js';

/** Options of `GenericTaskMessageQueue`. */
export interface GenericTaskMessageQueueOptions {
  /** Where queues are stored: the backend that holds the tasks. */
  backend: StorageBackend;
  /** The time source for expiry; use the task store's (default: system time). */
  clock?: Clock;
  /** Compare-and-swap attempts per change before `MessageQueueConflictError` (default 100). */
  maxAttempts?: number;
  /** Waits before each compare-and-swap retry (default: `jitteredBackoff()`, at most 50 ms). */
  retryWait?: RetryWait;
  /** Largest serialized queue in UTF-8 bytes (default 350,000: fits a DynamoDB item). */
  maxRecordBytes?: number;
}

/** A queue read from the backend, with the version to compare-and-swap against. */
interface StoredQueue {
  record: MessageQueueRecord;
  version: number;
}

/**
 * Durable FIFO queues of JSON messages, one per task, on any `StorageBackend`. A queue belongs to
 * its task's owner (another owner's queue is invisible), expires with its task, and every change
 * is a compare-and-swap, so concurrent writers never lose a message or overfill a queue.
 *
 * A queue is created by the first enqueue of its task, with `putIfVersion` from version 0 (create
 * only if absent): of several first writers exactly one creates it, the others re-read and append.
 */
export class GenericTaskMessageQueue {
  private readonly backend: StorageBackend;
  private readonly clock: Clock;
  private readonly tasks: GenericTaskStore;
  private readonly maxAttempts: number;
  private readonly retryWait: RetryWait;
  private readonly maxRecordBytes: number;

  constructor(options: GenericTaskMessageQueueOptions) {
    if (!options || typeof options.backend !== 'object' || options.backend === null) {
      throw new TypeError('GenericTaskMessageQueue needs a backend');
    }
    this.backend = options.backend;
    this.clock = options.clock ?? systemClock;
    this.tasks = new GenericTaskStore({ backend: this.backend, clock: this.clock });
    this.maxAttempts = requirePositiveSetting('maxAttempts', options.maxAttempts ?? 100);
    this.retryWait = options.retryWait ?? jitteredBackoff();
    this.maxRecordBytes = requirePositiveSetting(
      'maxRecordBytes',
      options.maxRecordBytes ?? DEFAULT_LIMITS.maxRecordBytes,
    );
  }

  /**
   * Appends `message` to the queue of the owner's task. Throws `TaskNotFoundError` when the owner
   * has no such live task, and `MessageQueueFullError` when the queue already holds `maxSize`.
   */
  async enqueue(
    owner: string,
    taskId: string,
    message: JsonObject,
    maxSize?: number,
  ): Promise<void> {
    assertJsonObject(
      message,
      { maxDepth: DEFAULT_LIMITS.maxVariableDepth, maxStringLength: this.maxRecordBytes },
      'message',
    );
    if (maxSize !== undefined && (!Number.isSafeInteger(maxSize) || maxSize < 0)) {
      throw new InvalidParamsError('maxSize must be a non-negative integer');
    }
    const key = queueKey(owner, taskId);
    for (let attempt = 1; attempt <= this.maxAttempts; attempt += 1) {
      const stored = await this.read(owner, taskId);
      if (stored === undefined) {
        if (await this.createWith(owner, taskId, message, maxSize)) return;
        await this.waitAfterLost(attempt);
        continue;
      }
      const { messages } = stored.record;
      if (maxSize !== undefined && messages.length >= maxSize) {
        throw new MessageQueueFullError(taskId, messages.length, maxSize);
      }
      const next = { ...stored.record, messages: [...messages, message] };
      if (await this.swap(key, next, stored.version)) return;
      await this.waitAfterLost(attempt);
    }
    throw new MessageQueueConflictError(taskId, this.maxAttempts);
  }

  /** Removes and returns the oldest message of the owner's task's queue; `undefined` when it is empty. */
  async dequeue(owner: string, taskId: string): Promise<JsonObject | undefined> {
    const taken = await this.take(owner, taskId, 1);
    return taken[0];
  }

  /** Removes and returns every message of the owner's task's queue, oldest first. */
  async dequeueAll(owner: string, taskId: string): Promise<JsonObject[]> {
    return this.take(owner, taskId, Number.POSITIVE_INFINITY);
  }

  private async take(owner: string, taskId: string, count: number): Promise<JsonObject[]> {
    const key = queueKey(owner, taskId);
    for (let attempt = 1; attempt <= this.maxAttempts; attempt += 1) {
      const stored = await this.read(owner, taskId);
      if (stored === undefined || stored.record.messages.length === 0) return [];
      const { messages } = stored.record;
      const taken = messages.slice(0, count);
      const next = { ...stored.record, messages: messages.slice(taken.length) };
      if (await this.swap(key, next, stored.version)) return taken;
      await this.waitAfterLost(attempt);
    }
    throw new MessageQueueConflictError(taskId, this.maxAttempts);
  }

  /**
   * Creates the queue holding `message` unless another writer created it first; returns whether
   * it did. The queue takes its task's expiry.
   */
  private async createWith(
    owner: string,
    taskId: string,
    message: JsonObject,
    maxSize: number | undefined,
  ): Promise<boolean> {
    const task = await this.tasks.get(owner, taskId);
    if (maxSize === 0) throw new MessageQueueFullError(taskId, 0, maxSize);
    const record: MessageQueueRecord = {
      schema: MESSAGE_QUEUE_SCHEMA,
      owner,
      taskId,
      messages: [message],
      ...(task.expiresAt === undefined ? {} : { expiresAt: task.expiresAt }),
    };
    return this.swap(queueKey(owner, taskId), record, 0);
  }

  /** Writes `next` if the queue is still at `version` (0: still absent); false when another writer came first. */
  private async swap(key: string, next: MessageQueueRecord, version: number): Promise<boolean> {
    const data = serializeWithin(next, this.maxRecordBytes, 'Task message queue');
    try {
      await this.backend.putIfVersion(key, data, version);
      return true;
    } catch (error) {
      if (isErrorNamed(error, 'VersionConflictError') || isErrorNamed(error, 'NotFoundError')) {
        return false;
      }
      throw toTaskError('update queue', key, error);
    }
  }

  /** The owner's live queue of the task, or `undefined` when there is none. */
  private async read(owner: string, taskId: string): Promise<StoredQueue | undefined> {
    if (!isTaskId(taskId)) return undefined;
    const key = queueKey(owner, taskId);
    let data: string;
    let version: number;
    try {
      ({ data, version } = await this.backend.get(key));
    } catch (error) {
      if (isErrorNamed(error, 'NotFoundError')) return undefined;
      throw toTaskError('get queue', key, error);
    }
    const record = await guarded('get queue', key, async () => parseQueueRecord(key, data));
    const expired = isRecordExpired(record, this.clock.now());
    if (record.owner !== owner || record.taskId !== taskId || expired) return undefined;
    return { record, version };
  }

  private async waitAfterLost(attempt: number): Promise<void> {
    if (attempt < this.maxAttempts) await this.retryWait(attempt);
  }
}
