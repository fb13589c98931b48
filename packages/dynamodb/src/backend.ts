import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  assertExpectedVersion,
  type BackendError,
  type Clock,
  type KeyedRecord,
  NotFoundError,
  type PagedListing,
  type PageRequest,
  type RecordPage,
  type StorageBackend,
  systemClock,
  type VersionedRecord,
  WriteOutcomeUnknownError,
} from '@tasks/core/backend';
import { type AttemptLog, trackAttempts } from './attempts.js';
import { buildDynamoDbClient, documentClientOf } from './client.js';
import {
  conditionFailureOf,
  isConditionalCheckFailure,
  isOwnWrite,
  malformed,
  oldItemOf,
  storageErrorOf,
} from './errors.js';
import {
  assertItemFits,
  DATA_ATTRIBUTE,
  EXPIRES_AT_ATTRIBUTE,
  EXPIRES_AT_MS_ATTRIBUTE,
  expiryOf,
  isExpiredAt,
  storedItemOf,
  VERSION_ATTRIBUTE,
  WRITE_ID_ATTRIBUTE,
} from './item.js';
import {
  type ItemKey,
  itemKeyOf,
  PARTITION_KEY_ATTRIBUTE,
  partitionKeyOfPrefix,
  storageKeyOf,
} from './keys.js';
import { assertTableName, DEFAULT_TABLE_NAME } from './table-name.js';

import { CONFIG_OPTION_NAMES, type DynamoDbBackendOptions } from './backend-options.js';
import {
  liveKeyedRecordsOf,
  liveRecordOf,
  liveVersionedRecordOf,
  warnOfMalformedItem,
  writeCondition,
} from './records.js';

/**
 * The production backend: one DynamoDB table (`PK` = `OWNER#{partition}`, `SK` = `TASK#{id}`),
 * every contract method one request on the DocumentClient. Reads filter expired items themselves
 * to the millisecond (`expires_at_ms`), since native TTL deletes them late. Retries and timeouts
 * are the SDK client's; a write the SDK resent after a lost answer is recognised as our own, and
 * one whose attempts all went unanswered is a `WriteOutcomeUnknownError`.
 */
export class DynamoDbBackend implements StorageBackend, PagedListing {
  /** The table this backend reads and writes. */
  readonly tableName: string;
  private readonly client: DynamoDBDocumentClient;
  private readonly ownedClient: DynamoDBClient | undefined;
  private readonly clock: Clock;
  private readonly onMalformedItem: (error: BackendError) => void;

  constructor(options: DynamoDbBackendOptions = {}) {
    const tableName = options.tableName ?? DEFAULT_TABLE_NAME;
    assertTableName(tableName);
    this.tableName = tableName;
    this.clock = options.clock ?? systemClock;
    this.onMalformedItem = options.onMalformedItem ?? warnOfMalformedItem;
    if (options.client === undefined) {
      this.ownedClient = buildDynamoDbClient(options);
      this.client = documentClientOf(this.ownedClient);
    } else {
      const mixed = CONFIG_OPTION_NAMES.filter((name) => options[name] !== undefined);
      if (mixed.length > 0) {
        throw new TypeError(
          `DynamoDbBackend takes either a client or client configuration, not both (got client and ${mixed.join(', ')})`,
        );
      }
      this.ownedClient = undefined;
      this.client = documentClientOf(options.client);
    }
  }

  /** One consistent GetItem; an item whose `expires_at_ms` has passed is `NotFoundError`. */
  async get(key: string): Promise<VersionedRecord> {
    const itemKey = itemKeyOf(key);
    const now = this.clock.now();
    const output = await this.request('get', key, () =>
      this.client.send(
        new GetCommand({ TableName: this.tableName, Key: itemKey, ConsistentRead: true }),
      ),
    );
    const record = output.Item && liveRecordOf(output.Item, now, 'get', key);
    if (!record) throw new NotFoundError(key);
    return record;
  }

  /**
   * One UpdateItem that sets `data`, sets or removes the expiry attributes and adds 1 to `version`,
   * so parallel puts never share a version. A put on an expired item continues its version. Exactly
   * once: each put carries a fresh `write_id` and applies only when the item does not already hold
   * it, so a put the SDK resent after losing the answer returns the version it made instead of
   * adding 1 again; one whose attempts all went unanswered is a `WriteOutcomeUnknownError`.
   */
  async put(key: string, data: string): Promise<number> {
    const itemKey = itemKeyOf(key);
    const expiry = expiryOf(data);
    const writeId = randomUUID();
    assertItemFits(key, itemKey, data, expiry, writeId);
    const command = new UpdateCommand({
      TableName: this.tableName,
      Key: itemKey,
      UpdateExpression:
        expiry === undefined
          ? 'SET #data = :data, #writeId = :writeId REMOVE #expiresAt, #expiresAtMs ADD #version :one'
          : 'SET #data = :data, #writeId = :writeId, #expiresAt = :expiresAt, #expiresAtMs = :expiresAtMs ADD #version :one',
      ConditionExpression: 'attribute_not_exists(#writeId) OR #writeId <> :writeId',
      ExpressionAttributeNames: {
        '#data': DATA_ATTRIBUTE,
        '#version': VERSION_ATTRIBUTE,
        '#writeId': WRITE_ID_ATTRIBUTE,
        '#expiresAt': EXPIRES_AT_ATTRIBUTE,
        '#expiresAtMs': EXPIRES_AT_MS_ATTRIBUTE,
      },
      ExpressionAttributeValues: {
        ':data': data,
        ':one': 1,
        ':writeId': writeId,
        ...(expiry === undefined
          ? {}
          : { ':expiresAt': expiry.seconds, ':expiresAtMs': expiry.millis }),
      },
      ReturnValues: 'UPDATED_NEW',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    const attempts = trackAttempts(command);
    let output;
    try {
      output = await this.client.send(command);
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw writeFailureOf('put', key, error, attempts);
      const oldItem = oldItemOf(error) ?? (await this.readItem('put', key, itemKey));
      const applied = oldItem && storedItemOf(oldItem);
      if (!applied) throw malformed('put', key, 'a resent put found no item');
      return applied.version;
    }
    const written = output.Attributes && storedItemOf(output.Attributes);
    if (!written) throw malformed('put', key, 'DynamoDB returned no new version');
    return written.version;
  }

  /**
   * One conditional PutItem: the item exists, is not expired and has `expectedVersion` (for
   * `expectedVersion` 0: no live item exists, so the write creates it at version 1). On failure
   * DynamoDB returns the old item: when it is this very write (the SDK resent it after losing the
   * answer) the write succeeded; otherwise it tells `NotFoundError` from `VersionConflictError`
   * (with the real version and record), or, when an attempt went unanswered, it is the `current`
   * of a `WriteOutcomeUnknownError`. An endpoint that returns no old item costs one consistent read
   * on that path only.
   */
  async putIfVersion(key: string, data: string, expectedVersion: number): Promise<number> {
    assertExpectedVersion(expectedVersion);
    const itemKey = itemKeyOf(key);
    const expiry = expiryOf(data);
    assertItemFits(key, itemKey, data, expiry);
    const now = this.clock.now();
    const version = expectedVersion + 1;
    const command = new PutCommand({
      TableName: this.tableName,
      Item: {
        ...itemKey,
        [DATA_ATTRIBUTE]: data,
        [VERSION_ATTRIBUTE]: version,
        ...(expiry === undefined
          ? {}
          : { [EXPIRES_AT_ATTRIBUTE]: expiry.seconds, [EXPIRES_AT_MS_ATTRIBUTE]: expiry.millis }),
      },
      ...writeCondition(expectedVersion, now),
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    const attempts = trackAttempts(command);
    try {
      await this.client.send(command);
    } catch (error) {
      if (!isConditionalCheckFailure(error))
        throw writeFailureOf('putIfVersion', key, error, attempts);
      const oldItem = oldItemOf(error) ?? (await this.readItem('putIfVersion', key, itemKey));
      if (isOwnWrite(oldItem, data, version)) return version;
      if (attempts.ambiguous) {
        throw new WriteOutcomeUnknownError(
          'putIfVersion',
          key,
          error,
          liveVersionedRecordOf(oldItem, now),
        );
      }
      throw conditionFailureOf(key, expectedVersion, oldItem, now);
    }
    return version;
  }

  /** One DeleteItem returning the old item; `true` when a live (unexpired) record was deleted. */
  async delete(key: string): Promise<boolean> {
    const itemKey = itemKeyOf(key);
    const now = this.clock.now();
    const output = await this.request('delete', key, () =>
      this.client.send(
        new DeleteCommand({ TableName: this.tableName, Key: itemKey, ReturnValues: 'ALL_OLD' }),
      ),
    );
    const old = output.Attributes && storedItemOf(output.Attributes);
    return old !== undefined && !isExpiredAt(old.expiresAtMillis, now);
  }

  /**
   * Consistent Query requests on the prefix's partition, following `LastEvaluatedKey` until the
   * end, so a partition over 1 MB comes back whole. Expired items are left out. Never a Scan.
   */
  async listByPrefix(prefix: string): Promise<KeyedRecord[]> {
    const records: KeyedRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.queryPartition('listByPrefix', prefix, {
        ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
      });
      records.push(...page.records);
      startKey = page.lastEvaluatedKey;
    } while (startKey !== undefined);
    return records;
  }

  /**
   * One consistent Query, highest key first, `Limit` items read from just below `beforeKey` (which
   * need not exist). Expired items are left out, so a page may hold fewer than `limit` records.
   */
  async listPageByPrefix(prefix: string, request: PageRequest): Promise<RecordPage> {
    const { limit, beforeKey } = request;
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`Page limit must be a positive integer, got ${String(limit)}`);
    }
    let startKey: ItemKey | undefined;
    if (beforeKey !== undefined && beforeKey.startsWith(prefix)) {
      startKey = itemKeyOf(beforeKey);
    } else if (beforeKey !== undefined && beforeKey < prefix) {
      return { records: [] };
    }
    const { records, expiredKeys, lastEvaluatedKey } = await this.queryPartition(
      'listPageByPrefix',
      prefix,
      {
        ScanIndexForward: false,
        Limit: limit,
        ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
      },
    );
    const expired = expiredKeys.length > 0 ? { expiredKeys } : {};
    if (lastEvaluatedKey === undefined) return { records, ...expired };
    const nextBeforeKey = storageKeyOf(lastEvaluatedKey);
    if (nextBeforeKey === undefined) {
      throw malformed('listPageByPrefix', prefix, 'LastEvaluatedKey is not PK/SK of this layout');
    }
    return { records, ...expired, nextBeforeKey };
  }

  /**
   * Returns 0 and removes nothing: the table's native TTL on `expires_at` deletes expired items
   * (within days, at no write cost), and every read already leaves them out.
   */
  async cleanupExpired(): Promise<number> {
    return 0;
  }

  /** Releases the client the backend built from configuration; a client you passed in stays yours. */
  destroy(): void {
    this.ownedClient?.destroy();
  }

  /** One consistent Query on the prefix's partition: the live records it read, the expired keys. */
  private async queryPartition(
    operation: string,
    prefix: string,
    paging: Pick<QueryCommandInput, 'ExclusiveStartKey' | 'Limit' | 'ScanIndexForward'>,
  ): Promise<{
    records: KeyedRecord[];
    expiredKeys: string[];
    lastEvaluatedKey?: Record<string, unknown>;
  }> {
    const partitionKey = partitionKeyOfPrefix(prefix);
    const now = this.clock.now();
    const output = await this.request(operation, prefix, () =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': PARTITION_KEY_ATTRIBUTE },
          ExpressionAttributeValues: { ':pk': partitionKey },
          ConsistentRead: true,
          ...paging,
        }),
      ),
    );
    const { records, expiredKeys } = liveKeyedRecordsOf(
      output.Items ?? [],
      now,
      operation,
      prefix,
      this.onMalformedItem,
    );
    return output.LastEvaluatedKey === undefined
      ? { records, expiredKeys }
      : { records, expiredKeys, lastEvaluatedKey: output.LastEvaluatedKey };
  }

  private async request<T>(operation: string, key: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw storageErrorOf(operation, key, error);
    }
  }

  private async readItem(
    operation: string,
    key: string,
    itemKey: ItemKey,
  ): Promise<Record<string, unknown> | undefined> {
    const output = await this.request(operation, key, () =>
      this.client.send(
        new GetCommand({ TableName: this.tableName, Key: itemKey, ConsistentRead: true }),
      ),
    );
    return output.Item;
  }
}

/**
 * The error of a write that failed without a condition failure: a `WriteOutcomeUnknownError` when
 * an attempt may have reached DynamoDB unanswered, the mapped storage error otherwise (a refusal,
 * an answer, or a failure before any attempt was sent).
 */
function writeFailureOf(
  operation: string,
  key: string,
  error: unknown,
  attempts: AttemptLog,
): BackendError | ReturnType<typeof storageErrorOf> {
  if (attempts.ambiguous) {
    return new WriteOutcomeUnknownError(operation, key, error);
  }
  return storageErrorOf(operation, key, error);
}
