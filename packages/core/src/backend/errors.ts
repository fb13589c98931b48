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
  constructor(readonly key: string) {
    super(`No record at key '${key}'`);
    this.name = 'NotFoundError';
  }
}

/** A conditional write expected one version and found another. */
export class VersionConflictError extends StorageError {
  constructor(
    readonly key: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`Version conflict at key '${key}': expected ${expected}, found ${actual}`);
    this.name = 'VersionConflictError';
  }
}

/** The backend cannot take the write: a record too large, or a store at capacity. */
export class CapacityExceededError extends StorageError {
  constructor(
    message: string,
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
    readonly operation: string,
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

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return String(cause);
}
