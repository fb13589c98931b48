import type { PutCommandInput } from '@aws-sdk/lib-dynamodb';
import type { BackendError, KeyedRecord, VersionedRecord } from '@tasks/core/backend';
import { malformed } from './errors.js';
import {
  EXPIRES_AT_ATTRIBUTE,
  EXPIRES_AT_MS_ATTRIBUTE,
  isExpiredAt,
  storedItemOf,
  VERSION_ATTRIBUTE,
} from './item.js';
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
  if (isExpiredAt(stored.expiresAtMillis, now)) return undefined;
  return { data: stored.data, version: stored.version };
}

/**
 * The live records among listed items, and the keys of the expired ones; a malformed item is
 * reported and skipped, not fatal.
 */
export function liveKeyedRecordsOf(
  items: Array<Record<string, unknown>>,
  now: number,
  operation: string,
  prefix: string,
  onMalformedItem: (error: BackendError) => void,
): { records: KeyedRecord[]; expiredKeys: string[] } {
  const records: KeyedRecord[] = [];
  const expiredKeys: string[] = [];
  for (const item of items) {
    const key = storageKeyOf(item);
    if (key === undefined) {
      onMalformedItem(malformed(operation, prefix, 'item key is not PK/SK of this layout'));
      continue;
    }
    try {
      const record = liveRecordOf(item, now, operation, key);
      if (record) records.push([key, record]);
      else expiredKeys.push(key);
    } catch (error) {
      onMalformedItem(error as BackendError);
    }
  }
  return { records, expiredKeys };
}

/** The default `onMalformedItem`: a process warning coded `TASKS_DYNAMODB_MALFORMED_ITEM`. */
export function warnOfMalformedItem(error: BackendError): void {
  process.emitWarning(error.message, { code: 'TASKS_DYNAMODB_MALFORMED_ITEM' });
}

/**
 * The condition of a `putIfVersion` at `now` (epoch ms): a live item at `expectedVersion`, or, for
 * 0, no live item. Live means `expires_at_ms` is after now (for an item written before that
 * attribute: `expires_at` is after now's whole second). DynamoDB refuses unused expression names
 * and values, so each case names only its own.
 */
export function writeCondition(
  expectedVersion: number,
  now: number,
): Pick<
  PutCommandInput,
  'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
> {
  const expiryNames = {
    '#expiresAt': EXPIRES_AT_ATTRIBUTE,
    '#expiresAtMs': EXPIRES_AT_MS_ATTRIBUTE,
  };
  const expiryValues = { ':nowMs': now, ':nowSeconds': Math.floor(now / 1000) };
  if (expectedVersion === 0) {
    return {
      ConditionExpression:
        'attribute_not_exists(#pk) OR #expiresAtMs <= :nowMs OR (attribute_not_exists(#expiresAtMs) AND #expiresAt <= :nowSeconds)',
      ExpressionAttributeNames: { '#pk': PARTITION_KEY_ATTRIBUTE, ...expiryNames },
      ExpressionAttributeValues: expiryValues,
    };
  }
  return {
    ConditionExpression:
      'attribute_exists(#pk) AND #version = :expected AND (#expiresAtMs > :nowMs OR (attribute_not_exists(#expiresAtMs) AND (attribute_not_exists(#expiresAt) OR #expiresAt > :nowSeconds)))',
    ExpressionAttributeNames: {
      '#pk': PARTITION_KEY_ATTRIBUTE,
      '#version': VERSION_ATTRIBUTE,
      ...expiryNames,
    },
    ExpressionAttributeValues: { ':expected': expectedVersion, ...expiryValues },
  };
}

/** The record of an item when it is live at `now`, for a storage error to carry. */
export function liveVersionedRecordOf(
  item: Record<string, unknown> | undefined,
  now: number,
): VersionedRecord | undefined {
  const stored = item && storedItemOf(item);
  if (!stored || isExpiredAt(stored.expiresAtMillis, now)) return undefined;
  return { data: stored.data, version: stored.version };
}
