/**
 * The task domain: `GenericTaskStore` (every rule of the task lifecycle),
 * `GenericTaskMessageQueue`, the task errors, and everything of `@tasks/core/backend`. No MCP or
 * AWS dependency.
 *
 * @module @tasks/core
 */
export * from './backend/index.js';
export {
  encodeOwner,
  idOfKey,
  MAX_ENCODED_OWNER_LENGTH,
  ownerPrefix,
  recordKey,
} from './store/keys.js';
export type {
  InputRequest,
  InputRequests,
  InputResponses,
  JsonObject,
  JsonValue,
  Task,
  TaskFailure,
  TaskLease,
  TaskSnapshot,
  TaskStatus,
} from './store/task.js';
export {
  canTransition,
  isTaskStatus,
  isTerminalStatus,
  TASK_STATUSES,
  TERMINAL_STATUSES,
} from './store/task.js';
export type { LimitKind } from './store/task-errors.js';
export {
  INVALID_PARAMS_CODE,
  InputKeyReusedError,
  InvalidCursorError,
  InvalidParamsError,
  InvalidTransitionError,
  LeaseLostError,
  LimitExceededError,
  TaskConflictError,
  TaskError,
  TaskNotFoundError,
  TaskOutcomeUnknownError,
  TaskNotReadyError,
  TaskResultUnavailableError,
  TaskStorageError,
} from './store/task-errors.js';
export { isTaskId, newTaskId, TASK_ID_PATTERN } from './store/task-id.js';
export type {
  CreateTaskParams,
  InputResponseOutcome,
  LeaseParams,
  ListTasksOptions,
  ResultStatus,
  TaskPage,
} from './store/store.js';
export { WORKER_LOST_CODE, WORKER_LOST_MESSAGE } from './store/lease.js';
export type { TaskRunOptions } from './runtime/task-run.js';
export { TaskRun, TaskRunAbortedError } from './runtime/task-run.js';
export type { TaskWatcherOptions, WatchOptions } from './runtime/task-watcher.js';
export { TaskWatcher } from './runtime/task-watcher.js';
export type { Timers } from './common/timers.js';
export { systemTimers } from './common/timers.js';
export { GenericTaskStore } from './store/store.js';
export type { GenericTaskStoreOptions, TaskLimits } from './store/store-options.js';
export { DEFAULT_LIMITS } from './store/store-options.js';
export { taskOf } from './store/task-record.js';
export type { GenericTaskMessageQueueOptions } from './queue/message-queue.js';
export { GenericTaskMessageQueue } from './queue/message-queue.js';
export {
  MessageQueueClosedError,
  MessageQueueConflictError,
  MessageQueueFullError,
} from './queue/message-queue-errors.js';
export type { JitteredBackoffOptions, RetryWait } from './common/retry-wait.js';
export { jitteredBackoff, retryAtOnce } from './common/retry-wait.js';
export { isPlainObject } from './common/json-limits.js';
