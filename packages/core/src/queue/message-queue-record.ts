import { isPlainObject } from '../common/json-limits.js';
import { recordKey } from '../store/keys.js';
import type { JsonObject } from '../store/task.js';

/** Version of the stored queue layout, written into every queue record. */
export const MESSAGE_QUEUE_SCHEMA = 1;

/** Key namespace of queue records: a partition of the owner that task listings never read. */
export const QUEUE_NAMESPACE = 'queue';

/** A task's queue as stored: the JSON object under the queue's key. */
export interface MessageQueueRecord {
  schema: typeof MESSAGE_QUEUE_SCHEMA;
  owner: string;
  taskId: string;
  /** Oldest first. */
  messages: JsonObject[];
  /** The task's expiry, top-level so that backends expire the queue with its task. */
  expiresAt?: string;
  /** The ids of the latest writes, newest first (see `VersionedRecords`). */
  writeIds?: readonly string[];
}

/** The key of the queue of `owner`'s task `taskId`. */
export function queueKey(owner: string, taskId: string): string {
  return recordKey(owner, taskId, QUEUE_NAMESPACE);
}

/** Why a stored record could not be read as a message queue. */
export class UnreadableQueueError extends Error {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`Stored message queue at key '${key}' is unreadable: ${reason}`);
    this.name = 'UnreadableQueueError';
  }
}

/** Parses and checks the JSON text stored at `key`; throws `UnreadableQueueError` when it is not a queue. */
export function parseQueueRecord(key: string, data: string): MessageQueueRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch (error) {
    throw new UnreadableQueueError(key, `not JSON (${(error as Error).message})`);
  }
  if (!isPlainObject(parsed)) throw new UnreadableQueueError(key, 'not a JSON object');
  if (parsed.schema !== MESSAGE_QUEUE_SCHEMA) {
    throw new UnreadableQueueError(key, `unknown schema ${JSON.stringify(parsed.schema)}`);
  }
  if (typeof parsed.owner !== 'string' || typeof parsed.taskId !== 'string') {
    throw new UnreadableQueueError(key, 'owner or taskId missing');
  }
  if (!Array.isArray(parsed.messages) || !parsed.messages.every(isPlainObject)) {
    throw new UnreadableQueueError(key, 'messages is not an array of objects');
  }
  return parsed as unknown as MessageQueueRecord;
}
