export type {
  KeyedRecord,
  PagedListing,
  PageRequest,
  RecordPage,
  StorageBackend,
  VersionedRecord,
} from './contract.js';
export { assertExpectedVersion, KEY_SEPARATOR, supportsPagedListing } from './contract.js';
export {
  BackendError,
  CapacityExceededError,
  INTERNAL_ERROR_CODE,
  NotFoundError,
  StorageError,
  VersionConflictError,
  WriteOutcomeUnknownError,
} from './errors.js';
export { expiresAtOf, isExpired } from './expiry.js';
export type { InMemoryBackendOptions } from './memory-backend.js';
export { InMemoryBackend } from './memory-backend.js';
export type { Clock } from '../common/clock.js';
export { systemClock } from '../common/clock.js';
