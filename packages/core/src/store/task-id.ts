import { randomBytes } from 'node:crypto';

/** Hex digits of the millisecond timestamp that starts every id (enough until the year 10889). */
const TIME_DIGITS = 12;
/** Hex digits of the per-process sequence that orders ids made in the same millisecond. */
const SEQUENCE_DIGITS = 4;
/** The largest sequence number; past it the id takes the next millisecond. */
const MAX_SEQUENCE = 16 ** SEQUENCE_DIGITS - 1;
/** Random bytes at the end: 128 bits. */
const RANDOM_BYTES = 16;

/** Matches a task id: 12 hex digits of time, 4 of sequence, then 32 hex digits of randomness. */
export const TASK_ID_PATTERN = /^[0-9a-f]{48}$/;

/** The time and sequence of the last id this process made, so ids never go backwards. */
let last = { millis: -1, sequence: 0 };

/**
 * A new task id: the creation time in milliseconds and a sequence number (fixed-width hex), then
 * 128 bits from a cryptographically secure generator. Ids sort by creation time, and ids made by
 * one process sort in the order it made them, even within one millisecond or when the clock
 * steps back; so key order is creation order.
 */
export function newTaskId(nowMillis: number): string {
  const millis = Math.max(0, Math.floor(nowMillis));
  if (millis > last.millis) last = { millis, sequence: 0 };
  else if (last.sequence < MAX_SEQUENCE)
    last = { millis: last.millis, sequence: last.sequence + 1 };
  else last = { millis: last.millis + 1, sequence: 0 };
  const time = last.millis.toString(16).padStart(TIME_DIGITS, '0');
  const sequence = last.sequence.toString(16).padStart(SEQUENCE_DIGITS, '0');
  return `${time}${sequence}${randomBytes(RANDOM_BYTES).toString('hex')}`;
}

/** Whether `value` has the shape of a task id this store issues. */
export function isTaskId(value: unknown): value is string {
  return typeof value === 'string' && TASK_ID_PATTERN.test(value);
}
