import { ended } from './lease.js';
import { canTransition, isTerminalStatus, type TaskStatus } from './task.js';
import { InvalidTransitionError } from './task-errors.js';
import type { TaskRecord } from './task-record.js';

/** What a refused change was trying to do, for the error message. */
export type RefusedAction = 'cancel task' | 'store result' | 'fail task' | 'update task';

/** The error of a change the current status refuses. */
export function transitionError(
  record: TaskRecord,
  to: TaskStatus,
  action: RefusedAction,
): InvalidTransitionError {
  const message = isTerminalStatus(record.status)
    ? `Cannot ${action}: already in terminal status '${record.status}'`
    : `Cannot transition task from '${record.status}' to '${to}'`;
  return new InvalidTransitionError(record.taskId, record.status, to, message);
}

/**
 * The task ended in a terminal `status` with `payload` (a result or an error), what a running task
 * carries (lease, outstanding input) dropped; `InvalidTransitionError` when it has ended already.
 */
export function withEnd(
  record: TaskRecord,
  status: TaskStatus,
  action: RefusedAction,
  statusMessage: string | undefined,
  payload: Pick<TaskRecord, 'result' | 'error'>,
): TaskRecord {
  if (isTerminalStatus(record.status)) throw transitionError(record, status, action);
  return {
    ...ended(record),
    status,
    ...payload,
    ...(statusMessage === undefined ? {} : { statusMessage }),
  };
}

/**
 * The task moved to `status` as the spec allows (the message kept unless replaced). With
 * `sameStatusReports`, asking a task that is not terminal for the status it has is a progress
 * report: the message is replaced, or nothing changes (the same record) when none is given.
 */
export function withStatus(
  record: TaskRecord,
  status: TaskStatus,
  statusMessage: string | undefined,
  sameStatusReports: boolean,
): TaskRecord {
  const reports = sameStatusReports && record.status === status;
  if (!reports && !canTransition(record.status, status)) {
    throw transitionError(record, status, status === 'cancelled' ? 'cancel task' : 'update task');
  }
  if (reports && isTerminalStatus(status)) throw transitionError(record, status, 'update task');
  if (reports && statusMessage === undefined) return record;
  const moved = isTerminalStatus(status) ? ended(record) : record;
  return { ...moved, status, ...(statusMessage === undefined ? {} : { statusMessage }) };
}
