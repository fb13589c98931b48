import { INTERNAL_ERROR_CODE } from '../backend/errors.js';
import { isTerminalStatus } from './task.js';
import { LeaseLostError } from './task-errors.js';
import type { TaskRecord } from './task-record.js';

/** The JSON-RPC code of the error a task reads with once its worker's lease lapsed. */
export const WORKER_LOST_CODE = INTERNAL_ERROR_CODE;

/** The status message of a task whose worker's lease lapsed. */
export const WORKER_LOST_MESSAGE = 'The worker running this task stopped before it finished';

/**
 * The task as every instance must read it at `now`: a task that is not terminal and whose lease
 * has lapsed is `failed` with the worker-lost error, as of the moment the lease lapsed. Derived the
 * same way everywhere (no clock but the lease's own time in it), so writing it is idempotent.
 */
export function settleLapsedLease(record: TaskRecord, now: number): TaskRecord {
  const { lease } = record;
  if (lease === undefined || isTerminalStatus(record.status)) return record;
  if (Date.parse(lease.expiresAt) > now) return record;
  return {
    ...ended(record),
    status: 'failed',
    statusMessage: WORKER_LOST_MESSAGE,
    error: {
      code: WORKER_LOST_CODE,
      message: `Task worker lost: worker '${lease.holder}' stopped renewing its lease, which lapsed at ${lease.expiresAt}`,
    },
    lastUpdatedAt: lease.expiresAt,
  };
}

/** `record` without what only a running task carries: its lease and outstanding input. */
export function ended(record: TaskRecord): TaskRecord {
  const { lease: _lease, inputRequests: _requests, inputResponses: _responses, ...rest } = record;
  return rest;
}

/**
 * The task with its lease taken by `holder` until `now + durationMs`: a task that is not terminal
 * (its lease, if any, not lapsed) can be handed to a worker, or its lease renewed by its holder.
 */
export function withLease(
  record: TaskRecord,
  holder: string,
  now: number,
  durationMs: number,
  renewal: boolean,
): TaskRecord {
  if (isTerminalStatus(record.status)) {
    const reason =
      record.statusMessage === WORKER_LOST_MESSAGE
        ? 'its lease lapsed and the task failed'
        : `the task ended in status '${record.status}'`;
    throw new LeaseLostError(record.taskId, holder, reason);
  }
  if (renewal && record.lease?.holder !== holder) {
    const reason =
      record.lease === undefined
        ? 'the task has no lease'
        : `worker '${record.lease.holder}' holds it now`;
    throw new LeaseLostError(record.taskId, holder, reason);
  }
  return { ...record, lease: { holder, expiresAt: new Date(now + durationMs).toISOString() } };
}
