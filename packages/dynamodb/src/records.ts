import type { PutCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  BackendError,
  type KeyedRecord,
  NotFoundError,
  type StorageError,
  type VersionedRecord,
  VersionConflictError,
} from '@tasks/core/backend';
import { EXPIRES_AT_ATTRIBUTE, isExpiredAt, storedItemOf, VERSION_ATTRIBUTE } from './item.js';
import { PARTITION_KEY_ATTRIBUTE, storageKeyOf } from './keys.js';

/** The record of a fetched item, `undefined` when it has expired; a malformed item is `BackendError`. */
export function liveRecordOf(
  item: Record<string, unknown>,
  now: number,
  operation: string,
  key: string,
): VersionedRecord | undefined {
  const stored = storedItemOf(item);
  if (!stored) throw malformed(operation, key, 'item has no string data or numeric version');
  if (isExpiredAt(stored.expiresAtSeconds, now)) return undefined;
  return { data: stored.data, version: stored.version };
}

/** The live records among listed items; a malformed item is reported and skipped, not fatal. */
export function liveKeyedRecordsOf(
  items: Array<Record<string, unknown>>,
  now: number,
  operation: string,
  prefix: string,
  onMalformedItem: (error: BackendError) => void,
): KeyedRecord[] {
  const records: KeyedRecord[] = [];
  for (const item of items) {
    const key = storageKeyOf(item);
    if (key === undefined) {
      onMalformedItem(malformed(operation, prefix, 'item key is not PK/SK of this layout'));
      continue;
    }
    try {
      const record = liveRecordOf(item, now, operation, key);
      if (record) records.push([key, record]);
    } catch (error) {
      onMalformedItem(error as BackendError);
    }
  }
  return records;
}

/** The default `onMalformedItem`: a process warning coded `TASKS_DYNAMODB_MALFORMED_ITEM`. */
export function warnOfMalformedItem(error: BackendError): void {
  process.emitWarning(error.message, { code: 'TASKS_DYNAMODB_MALFORMED_ITEM' });
}

/**
 * The condition of a `putIfVersion`: a live item at `expectedVersion`, or, for 0, no live item.
 * DynamoDB refuses unused expression names and values, so each case names only its own.
 */
export function writeCondition(
  expectedVersion: number,
  now: number,
): Pick<
  PutCommandInput,
  'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
> {
  if (expectedVersion === 0) {
    return {
      ConditionExpression: 'attribute_not_exists(#pk) OR #expiresAt <= :now',
      ExpressionAttributeNames: {
        '#pk': PARTITION_KEY_ATTRIBUTE,
        '#expiresAt': EXPIRES_AT_ATTRIBUTE,
      },
      ExpressionAttributeValues: { ':now': now },
    };
  }
  return {
    ConditionExpression:
      'attribute_exists(#pk) AND #version = :expected AND (attribute_not_exists(#expiresAt) OR #expiresAt > :now)',
    ExpressionAttributeNames: {
      '#pk': PARTITION_KEY_ATTRIBUTE,
      '#version': VERSION_ATTRIBUTE,
      '#expiresAt': EXPIRES_AT_ATTRIBUTE,
    },
    ExpressionAttributeValues: { ':expected': expectedVersion, ':now': now },
  };
}

/**
 * The error of a failed `putIfVersion` condition, from the old item DynamoDB returned (or read):
 * `NotFoundError` when there was no live item to update, `VersionConflictError` with the real
 * version otherwise; `actual` 0 means no item was there when it was read.
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
  if (isExpiredAt(old.expiresAtSeconds, now) && expectedVersion !== 0)
    return new NotFoundError(key);
  return new VersionConflictError(key, expectedVersion, old.version);
}

/** A `BackendError` for a response that does not fit this table layout. */
export function malformed(operation: string, key: string, problem: string): BackendError {
  return new BackendError(
    operation,
    key,
    new TypeError(`Unexpected DynamoDB response: ${problem}`),
  );
}
