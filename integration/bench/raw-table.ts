import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { encodeOwner, expiresAtOf } from '@tasks/core';

/** The primary key of one item in the table layout `DynamoDbBackend` uses. */
export interface ItemKey {
  PK: string;
  SK: string;
}

/** The partition key of an owner's tasks, built by hand: `OWNER#{encodedOwner}`. */
export function partitionKeyOfOwner(owner: string): string {
  return `OWNER#${encodeOwner(owner)}`;
}

/** The item key of a task, built by hand: `OWNER#{encodedOwner}` and `TASK#{taskId}`. */
export function itemKeyOfTask(owner: string, taskId: string): ItemKey {
  return { PK: partitionKeyOfOwner(owner), SK: `TASK#${taskId}` };
}

/**
 * The baselines: each backend request written directly against the DocumentClient, with every
 * value (item key, expiry seconds) prepared by the caller in advance. What the backend adds on
 * top of these (key mapping, size and expiry checks, error mapping) is its overhead.
 */
export class RawTable {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** A consistent GetItem. */
  async get(key: ItemKey): Promise<unknown> {
    return (
      await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
      )
    ).Item;
  }

  /** The backend's `put` request: one UpdateItem setting the data and expiry, adding 1 to the version. */
  async put(key: ItemKey, data: string, expiry: RawExpiry): Promise<unknown> {
    return (
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression:
            'SET #data = :data, #expiresAt = :expiresAt, #expiresAtMs = :expiresAtMs ADD #version :one',
          ExpressionAttributeNames: {
            '#data': 'data',
            '#version': 'version',
            '#expiresAt': 'expires_at',
            '#expiresAtMs': 'expires_at_ms',
          },
          ExpressionAttributeValues: {
            ':data': data,
            ':one': 1,
            ':expiresAt': expiry.seconds,
            ':expiresAtMs': expiry.millis,
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      )
    ).Attributes;
  }

  /**
   * The backend's `putIfVersion` request: one PutItem on condition that the item exists, is
   * unexpired and has `expectedVersion`, returning the old item when the condition fails. Resolves
   * to `true` when written and `false` on a failed condition.
   */
  async putIfVersion(
    key: ItemKey,
    data: string,
    expiry: RawExpiry,
    expectedVersion: number,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...key,
            data,
            version: expectedVersion + 1,
            expires_at: expiry.seconds,
            expires_at_ms: expiry.millis,
          },
          ConditionExpression:
            'attribute_exists(#pk) AND #version = :expected AND (#expiresAtMs > :nowMs OR (attribute_not_exists(#expiresAtMs) AND (attribute_not_exists(#expiresAt) OR #expiresAt > :nowSeconds)))',
          ExpressionAttributeNames: {
            '#pk': 'PK',
            '#version': 'version',
            '#expiresAt': 'expires_at',
            '#expiresAtMs': 'expires_at_ms',
          },
          ExpressionAttributeValues: {
            ':expected': expectedVersion,
            ':nowMs': Date.now(),
            ':nowSeconds': Math.floor(Date.now() / 1000),
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /** A DeleteItem returning the old item. */
  async delete(key: ItemKey): Promise<unknown> {
    return (
      await this.client.send(
        new DeleteCommand({ TableName: this.tableName, Key: key, ReturnValues: 'ALL_OLD' }),
      )
    ).Attributes;
  }

  /** Consistent Query requests on one partition, following `LastEvaluatedKey` to the end. */
  async queryPartition(partitionKey: string): Promise<unknown[]> {
    const items: unknown[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': 'PK' },
          ExpressionAttributeValues: { ':pk': partitionKey },
          ConsistentRead: true,
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return items;
  }

  /**
   * The `put` of the original plan (the Rust crate this project started from): a consistent GetItem for the current
   * version, then an unconditional PutItem of version + 1. Two requests, and two concurrent calls
   * can both read version n and both return n + 1.
   */
  async readThenPut(key: ItemKey, data: string): Promise<number> {
    const current = (await this.get(key)) as { version?: number } | undefined;
    const version = (current?.version ?? 0) + 1;
    const expiresAt = expiresAtOf(data);
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...key,
          data,
          version,
          ...(expiresAt === undefined
            ? {}
            : { expires_at: Math.ceil(expiresAt / 1000), expires_at_ms: expiresAt }),
        },
      }),
    );
    return version;
  }
}

/** A record's expiry as the backend writes it: exact milliseconds and TTL seconds rounded up. */
export interface RawExpiry {
  millis: number;
  seconds: number;
}

/** The expiry attributes of a record's JSON text; throws when it has no `expiresAt`. */
export function rawExpiryOf(data: string): RawExpiry {
  const millis = expiresAtOf(data);
  if (millis === undefined) throw new Error('The sample record has no expiresAt');
  return { millis, seconds: Math.ceil(millis / 1000) };
}
