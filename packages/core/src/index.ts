export type {
  KeyedRecord,
  PagedListing,
  PageRequest,
  RecordPage,
  StorageBackend,
  VersionedRecord,
} from './backend.js';
export { assertExpectedVersion, supportsPagedListing } from './backend.js';
export { ContractOnlyBackend } from './contract-only-backend.js';
export type { Clock } from './clock.js';
export { systemClock } from './clock.js';
export { FakeClock } from './fake-clock.js';
export { expiresAtOf, isExpired } from './expiry.js';
export {
  encodeOwner,
  idOfKey,
  KEY_SEPARATOR,
  MAX_ENCODED_OWNER_LENGTH,
  ownerPrefix,
  recordKey,
} from './keys.js';
export type { InMemoryBackendOptions } from './memory-backend.js';
export { InMemoryBackend } from './memory-backend.js';
export {
  BackendError,
  CapacityExceededError,
  INTERNAL_ERROR_CODE,
  NotFoundError,
  StorageError,
  VersionConflictError,
} from './storage-errors.js';
export type { JsonObject, JsonValue, Task, TaskSnapshot, TaskStatus } from './task.js';
export {
  canTransition,
  isTaskStatus,
  isTerminalStatus,
  TASK_STATUSES,
  TERMINAL_STATUSES,
} from './task.js';
export type { LimitKind } from './task-errors.js';
export {
  INVALID_PARAMS_CODE,
  InvalidCursorError,
  InvalidParamsError,
  InvalidTransitionError,
  LimitExceededError,
  TaskConflictError,
  TaskError,
  TaskNotFoundError,
  TaskNotReadyError,
  TaskResultUnavailableError,
  TaskStorageError,
} from './task-errors.js';
export { isTaskId, newTaskId, TASK_ID_PATTERN } from './task-id.js';
export type { CreateTaskParams, ListTasksOptions, ResultStatus, TaskPage } from './store.js';
export { GenericTaskStore } from './store.js';
export type { GenericTaskStoreOptions, TaskLimits } from './store-options.js';
export { DEFAULT_LIMITS } from './store-options.js';
export { taskOf } from './task-record.js';
export type { GenericTaskMessageQueueOptions } from './message-queue.js';
export { GenericTaskMessageQueue } from './message-queue.js';
export { MessageQueueConflictError, MessageQueueFullError } from './message-queue-errors.js';
export type { JitteredBackoffOptions, RetryWait } from './retry-wait.js';
export { jitteredBackoff, retryAtOnce } from './retry-wait.js';
