import type { JsonObject, TaskFailure, TaskSnapshot } from '@tasks/core';
import { INTERNAL_ERROR_CODE, isPlainObject } from '@tasks/core';

/** A task as MCP 2026-07-28 puts it on the wire, status-specific payload inlined (`DetailedTask`). */
export type DetailedTask = JsonObject & DetailedTaskFields;

/** The fields every `DetailedTask` has. */
export interface DetailedTaskFields {
  /** The task's id. */
  taskId: string;
  /** Its status. */
  status: TaskSnapshot['status'];
  /** ISO 8601 creation time. */
  createdAt: string;
  /** ISO 8601 time of the last change. */
  lastUpdatedAt: string;
  /** Lifetime from creation in ms; `null` for unlimited. */
  ttlMs: number | null;
}

/** The `Task` fields of a snapshot under their 2026-07-28 names (`ttlMs`, `pollIntervalMs`). */
export function wireTask(snapshot: TaskSnapshot): DetailedTask {
  return {
    taskId: snapshot.taskId,
    status: snapshot.status,
    ...(snapshot.statusMessage === undefined ? {} : { statusMessage: snapshot.statusMessage }),
    createdAt: snapshot.createdAt,
    lastUpdatedAt: snapshot.lastUpdatedAt,
    ttlMs: snapshot.ttl,
    ...(snapshot.pollInterval === undefined ? {} : { pollIntervalMs: snapshot.pollInterval }),
  };
}

/**
 * The `DetailedTask` of a snapshot: `result` for `completed`, `error` for `failed`, every
 * outstanding `inputRequests` for `input_required`; what `tasks/get` answers (the SDK stamps
 * `resultType: "complete"`) and what `notifications/tasks` carries.
 */
export function detailedTask(snapshot: TaskSnapshot): DetailedTask {
  const task = wireTask(snapshot);
  switch (snapshot.status) {
    case 'completed':
      return { ...task, result: completedResult(snapshot) };
    case 'failed':
      return { ...task, error: failureOf(snapshot) as unknown as JsonObject };
    case 'input_required':
      return { ...task, inputRequests: (snapshot.inputRequests ?? {}) as unknown as JsonObject };
    default:
      return task;
  }
}

/** The `CreateTaskResult` of a new task: the task's fields and `resultType: "task"`. */
export function createTaskResult(snapshot: TaskSnapshot): JsonObject {
  return { resultType: 'task', ...wireTask(snapshot) };
}

/**
 * A completed task's result as a 2026-07-28 `CallToolResult`, which carries `resultType: "complete"`
 * (the official client validates it); a result stored without one gets it here.
 */
function completedResult(snapshot: TaskSnapshot): JsonObject {
  const result = isPlainObject(snapshot.result) ? (snapshot.result as JsonObject) : {};
  return result.resultType === undefined ? { resultType: 'complete', ...result } : result;
}

/**
 * The JSON-RPC error of a failed task; a task failed the 2025-11-25 way (a stored result, no
 * error) reads as an internal error carrying its status message.
 */
function failureOf(snapshot: TaskSnapshot): TaskFailure {
  if (snapshot.error !== undefined) return snapshot.error;
  return {
    code: INTERNAL_ERROR_CODE,
    message: snapshot.statusMessage ?? 'The task failed',
    ...(snapshot.result === undefined ? {} : { data: snapshot.result }),
  };
}
