import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { encodeOwner } from '@tasks/core';
import type { TestTable } from '../../src/index.js';

/** An item as the table holds it, read without the backend. */
export interface RawItem {
  PK: string;
  SK: string;
  data: unknown;
  version: unknown;
  expires_at?: unknown;
}

/** The primary key of a task's item, as the design's table layout states it. */
export function taskItemKey(owner: string, taskId: string): { PK: string; SK: string } {
  return { PK: `OWNER#${encodeOwner(owner)}`, SK: `TASK#${taskId}` };
}

/** The item of `owner`'s task `taskId` straight from the table (consistent read), or `undefined`. */
export async function readRawItem(
  table: TestTable,
  owner: string,
  taskId: string,
): Promise<RawItem | undefined> {
  const output = await table.documentClient.send(
    new GetCommand({
      TableName: table.tableName,
      Key: taskItemKey(owner, taskId),
      ConsistentRead: true,
    }),
  );
  return output.Item as RawItem | undefined;
}

/** Every item of `owner`'s task partition, and how many Query pages DynamoDB needed for them. */
export async function queryRawPartition(
  table: TestTable,
  owner: string,
): Promise<{ items: RawItem[]; pages: number }> {
  const items: RawItem[] = [];
  let pages = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const output = await table.documentClient.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': taskItemKey(owner, '').PK },
        ConsistentRead: true,
        ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
      }),
    );
    pages += 1;
    items.push(...((output.Items ?? []) as RawItem[]));
    startKey = output.LastEvaluatedKey;
  } while (startKey !== undefined);
  return { items, pages };
}
