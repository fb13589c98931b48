/**
 * What a storage backend implements and needs: the six-method `StorageBackend` contract, the
 * storage errors, the expiry helpers, the clock, and `InMemoryBackend`, the reference backend.
 *
 * @module @tasks/core/backend
 */
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
