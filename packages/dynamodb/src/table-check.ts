import {
  DescribeTableCommand,
  type DynamoDBClient,
  DescribeTimeToLiveCommand,
  type TableDescription,
  type TimeToLiveDescription,
} from '@aws-sdk/client-dynamodb';
import { BackendError } from '@tasks/core/backend';
import { type DynamoDbClient, plainClientOf } from './client.js';
import { errorNameOf } from './errors.js';
import { EXPIRES_AT_ATTRIBUTE } from './item.js';
import { PARTITION_KEY_ATTRIBUTE, SORT_KEY_ATTRIBUTE } from './keys.js';
import { assertTableName, DEFAULT_TABLE_NAME } from './table-name.js';

/** What `checkTable` found. */
export interface TableCheck {
  /** The table checked. */
  tableName: string;
  /** True when the table exists with the right key schema and TTL on `expires_at`. */
  ok: boolean;
  /** One readable sentence per problem; empty when `ok`. */
  problems: string[];
}

const USABLE_STATUSES = new Set(['ACTIVE', 'UPDATING']);
const TTL_ON_STATUSES = new Set(['ENABLED', 'ENABLING']);

/**
 * Checks that `tableName` exists and is usable: `PK` (string) partition key, `SK` (string) sort
 * key, TTL on `expires_at`. Two requests (DescribeTable, DescribeTimeToLive); SDK failures such as
 * missing permissions throw `BackendError`.
 */
export async function checkTable(
  client: DynamoDbClient,
  tableName: string = DEFAULT_TABLE_NAME,
): Promise<TableCheck> {
  assertTableName(tableName);
  const plain = plainClientOf(client);
  const table = await describeTable(plain, tableName, 'checkTable');
  if (!table) return checkOf(tableName, [`Table '${tableName}' does not exist`]);
  const ttl = await describeTimeToLive(plain, tableName, 'checkTable');
  return checkOf(tableName, tableProblemsOf(table, ttl));
}

/** The problems of a described table and its TTL settings, as `checkTable` reports them. */
export function tableProblemsOf(
  table: TableDescription,
  ttl: TimeToLiveDescription | undefined,
): string[] {
  return [...layoutProblemsOf(table), ...timeToLiveProblemsOf(ttl)];
}

/** The problems of a described table's status and key schema, TTL left aside. */
export function layoutProblemsOf(table: TableDescription): string[] {
  const problems: string[] = [];
  const status = table.TableStatus ?? 'unknown';
  if (!USABLE_STATUSES.has(status)) problems.push(`Table status is ${status}; it must be ACTIVE`);
  problems.push(...keyProblemsOf(table, 'HASH', 'Partition key', PARTITION_KEY_ATTRIBUTE));
  problems.push(...keyProblemsOf(table, 'RANGE', 'Sort key', SORT_KEY_ATTRIBUTE));
  return problems;
}

/** Whether TTL is plainly off (`DISABLED`, or never set), so turning it on changes no setting. */
export function isTimeToLiveOff(ttl: TimeToLiveDescription | undefined): boolean {
  return (ttl?.TimeToLiveStatus ?? 'DISABLED') === 'DISABLED';
}

function timeToLiveProblemsOf(ttl: TimeToLiveDescription | undefined): string[] {
  const ttlStatus = ttl?.TimeToLiveStatus ?? 'DISABLED';
  if (!TTL_ON_STATUSES.has(ttlStatus)) {
    return [
      `Time to live is ${ttlStatus}; enable it on '${EXPIRES_AT_ATTRIBUTE}' so DynamoDB deletes expired items`,
    ];
  }
  if (ttl?.AttributeName !== EXPIRES_AT_ATTRIBUTE) {
    return [
      `Time to live uses attribute '${ttl?.AttributeName ?? ''}'; it must use '${EXPIRES_AT_ATTRIBUTE}'`,
    ];
  }
  return [];
}

/** A check result from its problems. */
export function checkOf(tableName: string, problems: string[]): TableCheck {
  return { tableName, ok: problems.length === 0, problems };
}

/** DescribeTable; `undefined` when the table does not exist. */
export async function describeTable(
  client: DynamoDBClient,
  tableName: string,
  operation: string,
): Promise<TableDescription | undefined> {
  try {
    const output = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return output.Table;
  } catch (error) {
    if (errorNameOf(error) === 'ResourceNotFoundException') return undefined;
    throw new BackendError(operation, undefined, error);
  }
}

/** DescribeTimeToLive of an existing table. */
export async function describeTimeToLive(
  client: DynamoDBClient,
  tableName: string,
  operation: string,
): Promise<TimeToLiveDescription | undefined> {
  try {
    const output = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    return output.TimeToLiveDescription;
  } catch (error) {
    throw new BackendError(operation, undefined, error);
  }
}

function keyProblemsOf(
  table: TableDescription,
  keyType: 'HASH' | 'RANGE',
  label: string,
  expectedName: string,
): string[] {
  const element = table.KeySchema?.find((candidate) => candidate.KeyType === keyType);
  if (!element) return [`${label} is missing; it must be '${expectedName}' (string)`];
  if (element.AttributeName !== expectedName) {
    return [`${label} is '${element.AttributeName ?? ''}'; it must be '${expectedName}' (string)`];
  }
  const type = table.AttributeDefinitions?.find(
    (definition) => definition.AttributeName === expectedName,
  )?.AttributeType;
  return type === 'S'
    ? []
    : [`${label} '${expectedName}' has type ${type ?? 'unknown'}; it must be S (string)`];
}
