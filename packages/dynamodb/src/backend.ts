import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type PutCommandInput,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  assertExpectedVersion,
  BackendError,
  type Clock,
  type KeyedRecord,
  NotFoundError,
  type PagedListing,
  type PageRequest,
  type RecordPage,
  type StorageBackend,
  type StorageError,
  systemClock,
  type VersionedRecord,
  VersionConflictError,
} from '@tasks/core';
import {
  buildDynamoDbClient,
  type DynamoDbClient,
  type DynamoDbClientConfig,
  documentClientOf,
} from './client.js';
import { isConditionalCheckFailure, oldItemOf, storageErrorOf } from './errors.js';
import {
  assertItemFits,
  DATA_ATTRIBUTE,
  EXPIRES_AT_ATTRIBUTE,
  expiresAtSecondsOf,
  isExpiredAt,
  nowSecondsOf,
  storedItemOf,
  VERSION_ATTRIBUTE,
} from './item.js';
import {
  type ItemKey,
  itemKeyOf,
  PARTITION_KEY_ATTRIBUTE,
  partitionKeyOfPrefix,
  storageKeyOf,
} from './keys.js';
import { assertTableName, DEFAULT_TABLE_NAME } from './table-name.js';

/** Options every `DynamoDbBackend` takes, whichever way it gets its client. */
export interface DynamoDbBackendCommonOptions {
  /** The table (default `DEFAULT_TABLE_NAME`, `tasks`); create it with `createTable` or the CLI. */
  tableName?: string;
  /** The time source for expiry checks (default: system time). */
  clock?: Clock;
  /**
   * Told of an item a listing skipped because it is not a record of this layout (data not a
   * string, no numeric version, a foreign sort key), for example one written by hand. Default: a
   * process warning (`TASKS_DYNAMODB_MALFORMED_ITEM`). A `get` of such an item throws instead.
   */
  onMalformedItem?: (error: BackendError) => void;
}

/** Build the backend on a client you already have; the backend never destroys it. */
export interface DynamoDbBackendClientOptions extends DynamoDbBackendCommonOptions {
  /** A `DynamoDBDocumentClient`, or a plain `DynamoDBClient` that the backend wraps. */
  client: DynamoDbClient;
  /** Configure the client you pass instead. */
  region?: never;
  /** Configure the client you pass instead. */
  endpoint?: never;
  /** Configure the client you pass instead. */
  credentials?: never;
  /** Configure the client you pass instead. */
  maxAttempts?: never;
  /** Configure the client you pass instead. */
  requestTimeoutMs?: never;
}

/** Build the backend from configuration; the backend owns the client and `destroy()` releases it. */
export interface DynamoDbBackendConfigOptions
  extends DynamoDbBackendCommonOptions, DynamoDbClientConfig {
  /** Pass configuration or a client, not both. */
  client?: never;
}

/** The one constructor shape: either a ready client or the configuration to build one, never both. */
export type DynamoDbBackendOptions = DynamoDbBackendClientOptions | DynamoDbBackendConfigOptions;

const CONFIG_OPTION_NAMES = [
  'region',
  'endpoint',
  'credentials',
  'maxAttempts',
  'requestTimeoutMs',
] as const;

/**
 * The production backend: one DynamoDB table (`PK` = `OWNER#{partition}`, `SK` = `TASK#{id}`),
 * every contract method one request on the DocumentClient. Reads filter expired items themselves,
 * since native TTL deletes them late. Retries and timeouts are the SDK client's.
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

  /** One consistent GetItem; an item whose `expires_at` has passed is `NotFoundError`. */
  async get(key: string): Promise<VersionedRecord> {
    const itemKey = itemKeyOf(key);
    const now = nowSecondsOf(this.clock);
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
   * One UpdateItem that sets `data`, sets or removes `expires_at` and adds 1 to `version`, so
   * parallel puts never share a version. A put on an expired item continues its version.
   */
  async put(key: string, data: string): Promise<number> {
    const itemKey = itemKeyOf(key);
    const expiresAt = expiresAtSecondsOf(data);
    assertItemFits(key, itemKey, data, expiresAt);
    const output = await this.request('put', key, () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKey,
          UpdateExpression:
            expiresAt === undefined
              ? 'SET #data = :data REMOVE #expiresAt ADD #version :one'
              : 'SET #data = :data, #expiresAt = :expiresAt ADD #version :one',
          ExpressionAttributeNames: {
            '#data': DATA_ATTRIBUTE,
            '#version': VERSION_ATTRIBUTE,
            '#expiresAt': EXPIRES_AT_ATTRIBUTE,
          },
          ExpressionAttributeValues: {
            ':data': data,
            ':one': 1,
            ...(expiresAt === undefined ? {} : { ':expiresAt': expiresAt }),
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    );
    const written = output.Attributes && storedItemOf(output.Attributes);
    if (!written) throw malformed('put', key, 'DynamoDB returned no new version');
    return written.version;
  }

  /**
   * One conditional PutItem: the item exists, is not expired and has `expectedVersion` (for
   * `expectedVersion` 0: no live item exists, so the write creates it at version 1). On failure
   * DynamoDB returns the old item, which tells `NotFoundError` from `VersionConflictError` (with
   * the real version); an endpoint that returns none costs one consistent read on that path only.
   */
  async putIfVersion(key: string, data: string, expectedVersion: number): Promise<number> {
    assertExpectedVersion(expectedVersion);
    const itemKey = itemKeyOf(key);
    const expiresAt = expiresAtSecondsOf(data);
    assertItemFits(key, itemKey, data, expiresAt);
    const now = nowSecondsOf(this.clock);
    const version = expectedVersion + 1;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...itemKey,
            [DATA_ATTRIBUTE]: data,
            [VERSION_ATTRIBUTE]: version,
            ...(expiresAt === undefined ? {} : { [EXPIRES_AT_ATTRIBUTE]: expiresAt }),
          },
          ...writeCondition(expectedVersion, now),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw storageErrorOf('putIfVersion', key, error);
      const oldItem = oldItemOf(error) ?? (await this.readItem('putIfVersion', key, itemKey));
      throw conditionFailureOf(key, expectedVersion, oldItem, now);
    }
    return version;
  }

  /** One DeleteItem returning the old item; `true` when a live (unexpired) record was deleted. */
  async delete(key: string): Promise<boolean> {
    const itemKey = itemKeyOf(key);
    const now = nowSecondsOf(this.clock);
    const output = await this.request('delete', key, () =>
      this.client.send(
        new DeleteCommand({ TableName: this.tableName, Key: itemKey, ReturnValues: 'ALL_OLD' }),
      ),
    );
    const old = output.Attributes && storedItemOf(output.Attributes);
    return old !== undefined && !isExpiredAt(old.expiresAtSeconds, now);
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
    const { records, lastEvaluatedKey } = await this.queryPartition('listPageByPrefix', prefix, {
      ScanIndexForward: false,
      Limit: limit,
      ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
    });
    if (lastEvaluatedKey === undefined) return { records };
    const nextBeforeKey = storageKeyOf(lastEvaluatedKey);
    if (nextBeforeKey === undefined) {
      throw malformed('listPageByPrefix', prefix, 'LastEvaluatedKey is not PK/SK of this layout');
    }
    return { records, nextBeforeKey };
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

  /** One consistent Query on the prefix's partition, with the live records it read. */
  private async queryPartition(
    operation: string,
    prefix: string,
    paging: Pick<QueryCommandInput, 'ExclusiveStartKey' | 'Limit' | 'ScanIndexForward'>,
  ): Promise<{ records: KeyedRecord[]; lastEvaluatedKey?: Record<string, unknown> }> {
    const partitionKey = partitionKeyOfPrefix(prefix);
    const now = nowSecondsOf(this.clock);
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
    const records = liveKeyedRecordsOf(
      output.Items ?? [],
      now,
      operation,
      prefix,
      this.onMalformedItem,
    );
    return output.LastEvaluatedKey === undefined
      ? { records }
      : { records, lastEvaluatedKey: output.LastEvaluatedKey };
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

function liveRecordOf(
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
function liveKeyedRecordsOf(
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

function warnOfMalformedItem(error: BackendError): void {
  process.emitWarning(error.message, { code: 'TASKS_DYNAMODB_MALFORMED_ITEM' });
}

/**
 * The condition of a `putIfVersion`: a live item at `expectedVersion`, or, for 0, no live item.
 * DynamoDB refuses unused expression names and values, so each case names only its own.
 */
function writeCondition(
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

function conditionFailureOf(
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

function malformed(operation: string, key: string, problem: string): BackendError {
  return new BackendError(
    operation,
    key,
    new TypeError(`Unexpected DynamoDB response: ${problem}`),
  );
}
