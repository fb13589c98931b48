import { INTERNAL_ERROR_CODE } from '../backend/errors.js';
import { INVALID_PARAMS_CODE, TaskError } from '../store/task-errors.js';

/** The task's message queue already holds `maxSize` messages; nothing was enqueued. */
export class MessageQueueFullError extends TaskError {
  constructor(
    /** The task whose queue is full. */
    readonly taskId: string,
    /** The number of messages the queue holds. */
    readonly size: number,
    /** The `maxSize` the enqueue was given. */
    readonly maxSize: number,
  ) {
    super(
      `Task message queue overflow: the queue holds ${size} messages; the maximum is ${maxSize}`,
      INTERNAL_ERROR_CODE,
    );
    this.name = 'MessageQueueFullError';
  }
}

/** A queue change lost every compare-and-swap retry to concurrent writers; nothing was written. */
export class MessageQueueConflictError extends TaskError {
  constructor(
    /** The task whose queue was to change. */
    readonly taskId: string,
    /** How many compare-and-swap attempts were made. */
    readonly attempts: number,
  ) {
    super(
      `Task message queue was modified concurrently ${attempts} times; the change was not applied`,
      INTERNAL_ERROR_CODE,
    );
    this.name = 'MessageQueueConflictError';
  }
}

/** The task is terminal, so its queue takes no more messages; nothing was enqueued. */
export class MessageQueueClosedError extends TaskError {
  constructor(
    /** The task whose queue is closed. */
    readonly taskId: string,
    /** The terminal status the task ended in. */
    readonly status: string,
  ) {
    super(
      `Task message queue is closed: the task ended in status '${status}'`,
      INVALID_PARAMS_CODE,
    );
    this.name = 'MessageQueueClosedError';
  }
}
