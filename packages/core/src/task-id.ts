import { randomBytes } from 'node:crypto';

/** Hex digits of the millisecond timestamp that prefixes every id (enough until the year 10889). */
const TIME_DIGITS = 12;
/** Random bytes after the time prefix: 128 bits. */
const RANDOM_BYTES = 16;

/** Matches a task id: 12 hex digits of creation time, then 32 hex digits of randomness. */
export const TASK_ID_PATTERN = /^[0-9a-f]{44}$/;

/**
 * A new task id: the creation time in milliseconds (fixed-width hex) followed by 128 bits from a
 * cryptographically secure generator. Ids sort by creation time, so key order is creation order.
 */
export function newTaskId(nowMillis: number): string {
  const time = Math.max(0, Math.floor(nowMillis)).toString(16).padStart(TIME_DIGITS, '0');
  return `${time}${randomBytes(RANDOM_BYTES).toString('hex')}`;
}

/** Whether `value` has the shape of a task id this store issues. */
export function isTaskId(value: unknown): value is string {
  return typeof value === 'string' && TASK_ID_PATTERN.test(value);
}
