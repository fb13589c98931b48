import { TaskError, TaskOutcomeUnknownError, TaskStorageError } from '../store/task-errors.js';

/** Whether `error` is an error named `name` (checked by name, so another copy of this library's classes counts). */
export function isErrorNamed(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}

/**
 * The error a store operation surfaces for `error`: task errors pass through; anything else
 * (a `StorageError` from the backend, or an unexpected throw) becomes `TaskStorageError` with it as `cause`.
 */
export function toTaskError(operation: string, key: string | undefined, error: unknown): TaskError {
  if (error instanceof TaskError) return error;
  if (isErrorNamed(error, 'WriteOutcomeUnknownError')) {
    return new TaskOutcomeUnknownError(
      `Task storage could not tell whether ${operation} at key '${String(key)}' was applied: read the task and try again`,
      error,
    );
  }
  const detail = error instanceof Error ? error.message : String(error);
  const where = key === undefined ? '' : ` at key '${key}'`;
  return new TaskStorageError(`Task storage failed during ${operation}${where}: ${detail}`, error);
}

/** Runs `call`, turning any failure into a task error naming the operation and key. */
export async function guarded<T>(
  operation: string,
  key: string | undefined,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toTaskError(operation, key, error);
  }
}
