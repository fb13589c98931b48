import { serializeWithin, snapshotJsonObject } from '../common/json-limits.js';
import { toTaskError } from '../records/storage-failures.js';
import { VersionedRecords } from '../records/versioned-records.js';
import { idOfKey } from '../store/keys.js';
import type { GenericTaskStore } from '../store/store.js';
import { requirePositiveSetting } from '../store/store-options.js';
import { isTerminalStatus, type JsonObject, type TaskSnapshot } from '../store/task.js';
import { InvalidParamsError, TaskNotFoundError } from '../store/task-errors.js';
import { isTaskId } from '../store/task-id.js';
import { isRecordExpired } from '../store/task-record.js';
import {
  MessageQueueClosedError,
  MessageQueueConflictError,
  MessageQueueFullError,
} from './message-queue-errors.js';
import {
  MESSAGE_QUEUE_SCHEMA,
  type MessageQueueRecord,
  parseQueueRecord,
  queueKey,
} from './message-queue-record.js';

/** Options of `GenericTaskMessageQueue`. */
export interface GenericTaskMessageQueueOptions {
  /**
   * The store that holds the tasks: queues live on its backend, follow its clock, retry as it does
   * (`maxAttempts`, `retryWait`) and cache as it does (`cacheSize`).
   */
  store: GenericTaskStore;
  /** Largest serialized queue in UTF-8 bytes (default: the store's `limits.maxRecordBytes`). */
  maxRecordBytes?: number;
}

/**
 * Durable FIFO queues of JSON messages, one per task, on the store's backend. A queue belongs to
 * its task's owner (another owner's queue is invisible), expires with its task, and every change
 * is a compare-and-swap (exactly once, as the store's), so concurrent writers never lose or repeat
 * a message or overfill a queue.
 *
 * The queue of a terminal task is closed: `enqueue` refuses with `MessageQueueClosedError`. An
 * enqueue that races the task's end settles within three requests: either its message is in the
 * queue before the task ends (the SDK clears and answers it then), or it is taken back and refused.
 */
export class GenericTaskMessageQueue {
  private readonly store: GenericTaskStore;
  private readonly records: VersionedRecords<MessageQueueRecord>;
  private readonly maxRecordBytes: number;

  constructor(options: GenericTaskMessageQueueOptions) {
    if (!options || typeof options.store !== 'object' || options.store === null) {
      throw new TypeError('GenericTaskMessageQueue needs a store (a GenericTaskStore)');
    }
    this.store = options.store;
    const settings = this.store.settings;
    const maxRecordBytes = requirePositiveSetting(
      'maxRecordBytes',
      options.maxRecordBytes ?? settings.limits.maxRecordBytes,
    );
    this.maxRecordBytes = maxRecordBytes;
    this.records = new VersionedRecords<MessageQueueRecord>(
      {
        parse: parseQueueRecord,
        serialize: (record) => serializeWithin(record, maxRecordBytes, 'Task message queue'),
      },
      {
        backend: settings.backend,
        maxAttempts: settings.maxAttempts,
        retryWait: settings.retryWait,
        cacheSize: settings.cacheSize,
        conflictError: (key, attempts) => new MessageQueueConflictError(idOfKey(key), attempts),
        storageError: toTaskError,
      },
    );
  }

  /**
   * Appends `message` to the queue of the owner's task. Throws `TaskNotFoundError` when the owner
   * has no such live task, `MessageQueueClosedError` when the task is terminal, and
   * `MessageQueueFullError` when the queue already holds `maxSize`.
   */
  async enqueue(
    owner: string,
    taskId: string,
    message: JsonObject,
    maxSize?: number,
  ): Promise<void> {
    const copy = snapshotJsonObject(
      message,
      {
        maxDepth: this.store.settings.limits.maxVariableDepth,
        maxStringLength: this.maxRecordBytes,
        maxBytes: this.maxRecordBytes,
      },
      'message',
    );
    if (maxSize !== undefined && (!Number.isSafeInteger(maxSize) || maxSize < 0)) {
      throw new InvalidParamsError('maxSize must be a non-negative integer');
    }
    const task = await this.openTask(owner, taskId);
    const key = queueKey(owner, taskId);
    await this.records.change(key, 'enqueue', (current) => {
      const queue = this.live(current, owner, taskId) ?? emptyQueue(owner, task);
      if (maxSize !== undefined && queue.messages.length >= maxSize) {
        throw new MessageQueueFullError(taskId, queue.messages.length, maxSize);
      }
      return { next: { ...queue, messages: [...queue.messages, copy] }, value: undefined };
    });
    const now = await this.store.get(owner, taskId);
    if (isTerminalStatus(now.status)) {
      await this.takeBack(key, owner, taskId, copy);
      throw new MessageQueueClosedError(taskId, now.status);
    }
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

  private take(owner: string, taskId: string, count: number): Promise<JsonObject[]> {
    if (typeof taskId !== 'string') {
      return Promise.reject(new TaskNotFoundError(`(a ${typeof taskId})`));
    }
    if (!isTaskId(taskId)) return Promise.resolve([]);
    return this.records.change(queueKey(owner, taskId), 'dequeue', (current) => {
      const queue = this.live(current, owner, taskId);
      if (queue === undefined || queue.messages.length === 0) return { value: [] };
      const taken = queue.messages.slice(0, count);
      return { next: { ...queue, messages: queue.messages.slice(taken.length) }, value: taken };
    });
  }

  /** Removes the first message equal to `message` (an enqueue refused after its write landed). */
  private async takeBack(
    key: string,
    owner: string,
    taskId: string,
    message: JsonObject,
  ): Promise<void> {
    const text = JSON.stringify(message);
    await this.records.change(key, 'dequeue', (current) => {
      const queue = this.live(current, owner, taskId);
      const at = queue?.messages.findIndex((queued) => JSON.stringify(queued) === text) ?? -1;
      if (queue === undefined || at < 0) return { value: undefined };
      const messages = queue.messages.filter((_, index) => index !== at);
      return { next: { ...queue, messages }, value: undefined };
    });
  }

  /** The owner's live task, refusing a terminal one: its queue is closed. */
  private async openTask(owner: string, taskId: string): Promise<TaskSnapshot> {
    const task = await this.store.get(owner, taskId);
    if (isTerminalStatus(task.status)) throw new MessageQueueClosedError(taskId, task.status);
    return task;
  }

  /** `queue` when it is the owner's live queue of the task, else `undefined`. */
  private live(
    queue: MessageQueueRecord | undefined,
    owner: string,
    taskId: string,
  ): MessageQueueRecord | undefined {
    if (queue === undefined || queue.owner !== owner || queue.taskId !== taskId) return undefined;
    return isRecordExpired(queue, this.store.clock.now()) ? undefined : queue;
  }
}

/** A new, empty queue of the owner's task; it takes the task's expiry. */
function emptyQueue(owner: string, task: TaskSnapshot): MessageQueueRecord {
  return {
    schema: MESSAGE_QUEUE_SCHEMA,
    owner,
    taskId: task.taskId,
    messages: [],
    ...(task.expiresAt === undefined ? {} : { expiresAt: task.expiresAt }),
  };
}
