import { INTERNAL_ERROR_CODE } from '../backend/errors.js';

/** JSON-RPC code for invalid params: unknown tasks, bad input, illegal transitions. */
export const INVALID_PARAMS_CODE = -32602;

/** Base class of every error the task store throws; `code` is the JSON-RPC error code. */
export class TaskError extends Error {
  constructor(
    message: string,
    /** The JSON-RPC error code, such as -32602 (invalid params) or -32603 (internal error). */
    readonly code: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TaskError';
  }
}

/** No task with that id for that owner: missing, expired, or another owner's (indistinguishable). */
export class TaskNotFoundError extends TaskError {
  constructor(
    /** The id asked for. */
    readonly taskId: string,
  ) {
    super('Task not found', INVALID_PARAMS_CODE);
    this.name = 'TaskNotFoundError';
  }
}

/** The requested status change is not allowed from the task's current status. */
export class InvalidTransitionError extends TaskError {
  constructor(
    /** The task whose status was to change. */
    readonly taskId: string,
    /** Its current status. */
    readonly from: string,
    /** The status asked for. */
    readonly to: string,
    message: string,
  ) {
    super(message, INVALID_PARAMS_CODE);
    this.name = 'InvalidTransitionError';
  }
}

/** A listing cursor that this store did not issue, or that is malformed. */
export class InvalidCursorError extends TaskError {
  constructor(
    /** The cursor as received. */
    readonly cursor: string,
  ) {
    super('Invalid cursor', INVALID_PARAMS_CODE);
    this.name = 'InvalidCursorError';
  }
}

/** An argument is malformed: an empty owner, a negative TTL, variables that are not JSON... */
export class InvalidParamsError extends TaskError {
  constructor(message: string) {
    super(message, INVALID_PARAMS_CODE);
    this.name = 'InvalidParamsError';
  }
}

/** Which configured limit an input exceeded. */
export type LimitKind =
  'variableDepth' | 'stringLength' | 'recordSize' | 'activeTasks' | 'pageSize';

/** An input request key the task has used before: keys are unique over a task's whole life. */
export class InputKeyReusedError extends TaskError {
  constructor(
    /** The task asking for input. */
    readonly taskId: string,
    /** The keys it had used before. */
    readonly keys: readonly string[],
  ) {
    super(
      `Input request keys must be unique over the task's life; already used: ${keys.map((key) => `'${key}'`).join(', ')}`,
      INVALID_PARAMS_CODE,
    );
    this.name = 'InputKeyReusedError';
  }
}

/**
 * The worker no longer holds the task's lease: it lapsed (the task reads as failed), another worker
 * holds it, or the task ended. Nothing was written.
 */
export class LeaseLostError extends TaskError {
  constructor(
    /** The task whose lease was lost. */
    readonly taskId: string,
    /** The worker that no longer holds it. */
    readonly holder: string,
    reason: string,
  ) {
    super(
      `Worker '${holder}' no longer holds the lease of the task: ${reason}`,
      INVALID_PARAMS_CODE,
    );
    this.name = 'LeaseLostError';
  }
}

/** An input exceeds a configured limit; nothing was written. */
export class LimitExceededError extends TaskError {
  constructor(
    /** The limit exceeded. */
    readonly limit: LimitKind,
    /** The input's value for that limit (a depth, a length, a size in bytes, a count). */
    readonly actual: number,
    /** The configured maximum. */
    readonly max: number,
    message: string,
  ) {
    super(message, INVALID_PARAMS_CODE);
    this.name = 'LimitExceededError';
  }
}

/** The task has no result yet: it is not in a terminal status. */
export class TaskNotReadyError extends TaskError {
  constructor(
    /** The task asked for. */
    readonly taskId: string,
    /** Its current, non-terminal status. */
    readonly status: string,
  ) {
    super(`Task result not ready: task is in status '${status}'`, INVALID_PARAMS_CODE);
    this.name = 'TaskNotReadyError';
  }
}

/** The task is terminal but holds no result (it was cancelled, or ended without one). */
export class TaskResultUnavailableError extends TaskError {
  constructor(
    /** The task asked for. */
    readonly taskId: string,
    /** The terminal status it ended in. */
    readonly status: string,
  ) {
    super(`Task has no result: it ended in status '${status}' without one`, INVALID_PARAMS_CODE);
    this.name = 'TaskResultUnavailableError';
  }
}

/** The storage backend failed; `cause` holds the `StorageError`. */
export class TaskStorageError extends TaskError {
  constructor(message: string, cause: unknown) {
    super(message, INTERNAL_ERROR_CODE, { cause });
    this.name = 'TaskStorageError';
  }
}

/**
 * A write reached the database but its answer was lost, and the record read back cannot tell
 * whether it was applied (it was applied at most once). Retryable: read the task and decide.
 */
export class TaskOutcomeUnknownError extends TaskStorageError {
  /** Always true: read the task, then try again if the change is not there. */
  readonly retryable = true;

  constructor(message: string, cause: unknown) {
    super(message, cause);
    this.name = 'TaskOutcomeUnknownError';
  }
}

/** A mutation lost every compare-and-swap retry to concurrent writers; nothing was written. */
export class TaskConflictError extends TaskError {
  constructor(
    /** The task the mutation was for. */
    readonly taskId: string,
    /** How many compare-and-swap attempts were made. */
    readonly attempts: number,
  ) {
    super(
      `Task was modified concurrently ${attempts} times; the update was not applied`,
      INTERNAL_ERROR_CODE,
    );
    this.name = 'TaskConflictError';
  }
}
