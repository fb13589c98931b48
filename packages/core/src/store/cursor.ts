import { InvalidCursorError } from './task-errors.js';
import { isTaskId } from './task-id.js';

/** Prefix of every cursor this store issues, so foreign strings are told apart at once. */
const CURSOR_PREFIX = 't1.';

/**
 * An opaque listing cursor: the id of the last task of a page. Listing is newest first by
 * time-ordered id, so the next page starts strictly below it, whatever was deleted or expired since.
 */
export function encodeCursor(lastTaskId: string): string {
  return `${CURSOR_PREFIX}${Buffer.from(lastTaskId, 'utf8').toString('base64url')}`;
}

/** The task id inside a cursor; `InvalidCursorError` for anything this store did not issue. */
export function decodeCursor(cursor: unknown): string {
  if (typeof cursor !== 'string' || !cursor.startsWith(CURSOR_PREFIX)) {
    throw new InvalidCursorError(String(cursor));
  }
  const body = cursor.slice(CURSOR_PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(body)) throw new InvalidCursorError(cursor);
  const taskId = Buffer.from(body, 'base64url').toString('utf8');
  if (!isTaskId(taskId)) throw new InvalidCursorError(cursor);
  return taskId;
}
