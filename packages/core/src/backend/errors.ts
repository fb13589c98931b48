import type { VersionedRecord } from './contract.js';

/** JSON-RPC code for an internal error; every storage failure surfaces with it. */
export const INTERNAL_ERROR_CODE = -32603;

/** Base class of every error a `StorageBackend` throws. */
export class StorageError extends Error {
  /** JSON-RPC error code: storage failures are internal errors. */
  readonly code: number = INTERNAL_ERROR_CODE;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
  }
}

/** The key holds no record (or only an expired one). */
export class NotFoundError extends StorageError {
  constructor(
    /** The key asked for. */
    readonly key: string,
  ) {
    super(`No record at key '${key}'`);
    this.name = 'NotFoundError';
  }
}

/**
 * A conditional write expected one version and found another. `current` is the record found, when
 * the backend has it at no extra cost (DynamoDB returns it with the failure); absent for `actual`
 * 0 (no live record) and on backends that do not offer it.
 */
export class VersionConflictError extends StorageError {
  constructor(
    /** The key written to. */
    readonly key: string,
    /** The version the write expected (0: no live record). */
    readonly expected: number,
    /** The version found (0: no live record). */
    readonly actual: number,
    /** The record found, when the backend had it at no extra cost. */
    readonly current?: VersionedRecord,
  ) {
    super(`Version conflict at key '${key}': expected ${expected}, found ${actual}`);
    this.name = 'VersionConflictError';
  }
}

/** The backend cannot take the write: a record too large, or a store at capacity. */
export class CapacityExceededError extends StorageError {
  constructor(
    message: string,
    /** The key of the write refused, when there is one. */
    readonly key?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CapacityExceededError';
  }
}

/** The storage service failed (network, throttling, permissions...); `cause` holds the original error. */
export class BackendError extends StorageError {
  constructor(
    /** The operation that failed, such as `get`, `putIfVersion` or `createTable`. */
    readonly operation: string,
    /** The key or prefix it was for; `undefined` when it was for none (the table tooling). */
    readonly key: string | undefined,
    cause: unknown,
  ) {
    super(
      `Storage backend failed during ${operation}${key === undefined ? '' : ` at key '${key}'`}: ${describeCause(cause)}`,
      { cause },
    );
    this.name = 'BackendError';
  }
}

/**
 * A write may or may not have been applied: the request reached the database but its answer was
 * lost (a timeout, a reset connection or a server error, after the transport's retries), and what
 * the backend could see does not settle it. Never a second application: the write landed at most
 * once. Retryable: read the record to see where it stands. `current` is the live record the backend
 * saw afterwards, when it saw one (the store then looks for its write in the record's history).
 */
export class WriteOutcomeUnknownError extends BackendError {
  /** Always true: the caller may read and try again. */
  readonly retryable = true;

  constructor(
    operation: string,
    key: string,
    cause: unknown,
    /** The live record the backend saw after the write, when it saw one. */
    readonly current?: VersionedRecord,
  ) {
    super(operation, key, cause);
    this.message = `The outcome of ${operation} at key '${key}' is unknown: the request was sent but no answer settled it (${describeCause(cause)})`;
    this.name = 'WriteOutcomeUnknownError';
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return String(cause);
}
