import {
  BackendError,
  CapacityExceededError,
  NotFoundError,
  StorageError,
  VersionConflictError,
} from '@tasks/core/backend';
import { isExpiredAt, storedItemOf } from './item.js';

/**
 * Whether `error` is DynamoDB's failed write condition. Detected by `name`, so an error from any
 * copy of the SDK (or a plain object from a mock) matches.
 */
export function isConditionalCheckFailure(error: unknown): boolean {
  return errorNameOf(error) === 'ConditionalCheckFailedException';
}

/**
 * The old item a failed conditional write returned (`ReturnValuesOnConditionCheckFailure:
 * 'ALL_OLD'`), in AttributeValue form: the DocumentClient does not unmarshall errors. `undefined`
 * when the endpoint sent none (older emulators) or there was no item.
 */
export function oldItemOf(error: unknown): Record<string, unknown> | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const item = (error as { Item?: unknown }).Item;
  return typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : undefined;
}

/**
 * The storage error for a failed request: our own errors pass through, DynamoDB's item size
 * `ValidationException` becomes `CapacityExceededError`, and everything else (throttling after the
 * SDK's retries, network failures, permissions...) becomes `BackendError` with the original as `cause`.
 */
export function storageErrorOf(
  operation: string,
  key: string | undefined,
  error: unknown,
): StorageError {
  if (error instanceof StorageError) return error;
  if (isItemSizeValidation(error)) {
    return new CapacityExceededError(
      `DynamoDB rejected the item${key === undefined ? '' : ` at key '${key}'`} as too large: ${errorMessage(error)}`,
      key,
      { cause: error },
    );
  }
  return new BackendError(operation, key, error);
}

function isItemSizeValidation(error: unknown): boolean {
  return errorNameOf(error) === 'ValidationException' && /item size/i.test(errorMessage(error));
}

/** The `name` of an SDK error, whatever copy of the SDK threw it; `undefined` when it has none. */
export function errorNameOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const name = (error as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

function errorMessage(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' ? message : '';
}

/**
 * The error of a failed `putIfVersion` condition, from the old item DynamoDB returned (or read):
 * `NotFoundError` when there was no live item to update, `VersionConflictError` with the real
 * version and the current record otherwise; `actual` 0 means no item was there when it was read.
 */
export function conditionFailureOf(
  key: string,
  expectedVersion: number,
  oldItem: Record<string, unknown> | undefined,
  now: number,
): StorageError {
  if (!oldItem) {
    return expectedVersion === 0 ? new VersionConflictError(key, 0, 0) : new NotFoundError(key);
  }
  const old = storedItemOf(oldItem);
  if (!old) return malformed('putIfVersion', key, 'item has no string data or numeric version');
  if (isExpiredAt(old.expiresAtMillis, now) && expectedVersion !== 0) return new NotFoundError(key);
  return new VersionConflictError(key, expectedVersion, old.version, {
    data: old.data,
    version: old.version,
  });
}

/**
 * Whether the old item a failed conditional write returned is that very write: the version it
 * would have made, holding exactly its data. It happens when the SDK resent a write whose first
 * answer was lost; the store makes every write's data unique, so equal data means the same write.
 */
export function isOwnWrite(
  oldItem: Record<string, unknown> | undefined,
  data: string,
  version: number,
): boolean {
  const old = oldItem && storedItemOf(oldItem);
  return old !== undefined && old.version === version && old.data === data;
}

/** A `BackendError` for a response that does not fit this table layout. */
export function malformed(operation: string, key: string, problem: string): BackendError {
  return new BackendError(
    operation,
    key,
    new TypeError(`Unexpected DynamoDB response: ${problem}`),
  );
}
