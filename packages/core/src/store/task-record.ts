import { isExpired } from '../backend/expiry.js';
import { isPlainObject } from '../common/json-limits.js';
import {
  type InputRequests,
  type InputResponses,
  isTaskStatus,
  type JsonObject,
  type JsonValue,
  type Task,
  type TaskFailure,
  type TaskLease,
  type TaskSnapshot,
} from './task.js';

/** Version of the stored record layout, written into every record. */
export const TASK_RECORD_SCHEMA = 1;

/** A task as stored: the JSON object under the task's key. */
export interface TaskRecord extends Task {
  schema: typeof TASK_RECORD_SCHEMA;
  owner: string;
  /** Top-level so that backends can expire the record natively. */
  expiresAt?: string;
  requestMethod?: string;
  /** The params of the request the task runs. */
  request?: JsonObject;
  variables: JsonObject;
  /** Present once a result is stored. */
  result?: JsonValue;
  /** The JSON-RPC error of a failed task. */
  error?: TaskFailure;
  /** Outstanding input requests by key. */
  inputRequests?: InputRequests;
  /** Accepted responses the worker has not taken yet, by key. */
  inputResponses?: InputResponses;
  /** Every input request key the task has issued, so none is ever reused. */
  inputKeys?: string[];
  /** The worker's lease, while one holds it. */
  lease?: TaskLease;
  /** The ids of the latest writes, newest first (see `VersionedRecords`). */
  writeIds?: readonly string[];
}

/** Why a stored record could not be read as a task. */
export class UnreadableRecordError extends Error {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`Stored task at key '${key}' is unreadable: ${reason}`);
    this.name = 'UnreadableRecordError';
  }
}

/** Parses and checks the JSON text stored at `key`; throws `UnreadableRecordError` when it is not a task. */
export function parseTaskRecord(key: string, data: string): TaskRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch (error) {
    throw new UnreadableRecordError(key, `not JSON (${(error as Error).message})`);
  }
  if (!isPlainObject(parsed)) throw new UnreadableRecordError(key, 'not a JSON object');
  const problem = recordProblem(parsed);
  if (problem) throw new UnreadableRecordError(key, problem);
  return parsed as unknown as TaskRecord;
}

function recordProblem(value: Record<string, unknown>): string | undefined {
  if (value.schema !== TASK_RECORD_SCHEMA) return `unknown schema ${JSON.stringify(value.schema)}`;
  if (typeof value.owner !== 'string' || typeof value.taskId !== 'string')
    return 'owner or taskId missing';
  if (!isTaskStatus(value.status)) return `unknown status ${JSON.stringify(value.status)}`;
  if (typeof value.createdAt !== 'string' || typeof value.lastUpdatedAt !== 'string')
    return 'timestamps missing';
  if (value.ttl !== null && typeof value.ttl !== 'number')
    return 'ttl is neither a number nor null';
  if (!isPlainObject(value.variables)) return 'variables is not an object';
  for (const name of ['error', 'inputRequests', 'inputResponses', 'lease'] as const) {
    if (value[name] !== undefined && !isPlainObject(value[name])) return `${name} is not an object`;
  }
  if (value.inputKeys !== undefined && !Array.isArray(value.inputKeys)) {
    return 'inputKeys is not an array';
  }
  return undefined;
}

/** Parsed `expiresAt` of records seen before (records are frozen once stored, so this never goes stale). */
const expiryOfRecord = new WeakMap<object, number | undefined>();

/** Whether a stored record (a task or a queue) with an ISO `expiresAt` has expired at `now` (epoch ms). */
export function isRecordExpired(record: { expiresAt?: string }, now: number): boolean {
  let expiresAt = expiryOfRecord.get(record);
  if (expiresAt === undefined && !expiryOfRecord.has(record)) {
    expiresAt = record.expiresAt === undefined ? undefined : Date.parse(record.expiresAt);
    if (Object.isFrozen(record)) expiryOfRecord.set(record, expiresAt);
  }
  return isExpired(expiresAt, now);
}

/** Snapshots of frozen records, made once each: a snapshot is frozen too, so callers can share it. */
const snapshotOfRecord = new WeakMap<TaskRecord, TaskSnapshot>();

/**
 * What callers see of a record: the task, its variables, payloads, input and lease. The snapshot of
 * a stored (frozen) record is made once and shared, frozen, by every read of that version.
 */
export function snapshotOf(record: TaskRecord): TaskSnapshot {
  const known = snapshotOfRecord.get(record);
  if (known !== undefined) return known;
  const snapshot = taskOf(record) as TaskSnapshot;
  snapshot.variables = record.variables;
  if (record.requestMethod !== undefined) snapshot.requestMethod = record.requestMethod;
  if (record.request !== undefined) snapshot.request = record.request;
  if (record.expiresAt !== undefined) snapshot.expiresAt = record.expiresAt;
  snapshot.hasResult = record.result !== undefined;
  if (record.result !== undefined) snapshot.result = record.result;
  if (record.error !== undefined) snapshot.error = record.error;
  if (record.inputRequests !== undefined) snapshot.inputRequests = record.inputRequests;
  if (record.inputResponses !== undefined) snapshot.inputResponses = record.inputResponses;
  if (record.lease !== undefined) snapshot.lease = record.lease;
  if (Object.isFrozen(record)) {
    Object.freeze(snapshot);
    snapshotOfRecord.set(record, snapshot);
  }
  return snapshot;
}

/** The task exactly as MCP defines it, without the store's extra fields. */
export function taskOf(record: TaskRecord | TaskSnapshot): Task {
  const task: Task = {
    taskId: record.taskId,
    status: record.status,
    createdAt: record.createdAt,
    lastUpdatedAt: record.lastUpdatedAt,
    ttl: record.ttl,
  };
  if (record.statusMessage !== undefined) task.statusMessage = record.statusMessage;
  if (record.pollInterval !== undefined) task.pollInterval = record.pollInterval;
  return task;
}
