import { setTimeout as delay } from 'node:timers/promises';
import {
  CreateTableCommand,
  type DynamoDBClient,
  type TableDescription,
  type TimeToLiveDescription,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { BackendError } from '@tasks/core/backend';
import { type DynamoDbClient, plainClientOf } from './client.js';
import { errorNameOf } from './errors.js';
import { EXPIRES_AT_ATTRIBUTE } from './item.js';
import { PARTITION_KEY_ATTRIBUTE, SORT_KEY_ATTRIBUTE } from './keys.js';
import {
  checkOf,
  describeTable,
  describeTimeToLive,
  type TableCheck,
  tableProblemsOf,
} from './table-check.js';
import { assertTableName, DEFAULT_TABLE_NAME } from './table-name.js';

/** How the table is billed: on demand (the default) or provisioned capacity. */
export type BillingMode = 'PAY_PER_REQUEST' | 'PROVISIONED';

/** Options of `createTable`. */
export interface CreateTableOptions {
  /** The table to create (default `DEFAULT_TABLE_NAME`, `tasks`). */
  tableName?: string;
  /** `PAY_PER_REQUEST` (default) or `PROVISIONED`, which needs both capacity options. */
  billingMode?: BillingMode;
  /** Read capacity units, with `PROVISIONED` only. */
  readCapacityUnits?: number;
  /** Write capacity units, with `PROVISIONED` only. */
  writeCapacityUnits?: number;
  /** Milliseconds between two DescribeTable polls while the table is not ACTIVE (default 1,000). */
  pollIntervalMs?: number;
  /** DescribeTable polls before giving up on ACTIVE (default 120). */
  maxPolls?: number;
  /** Waits between polls (default: a timer); tests pass one that resolves at once. */
  sleep?: (milliseconds: number) => Promise<void>;
}

/** What `createTable` did, and the check of the table it left. */
export interface CreateTableResult extends TableCheck {
  /** True when this call created the table; false when it already existed. */
  created: boolean;
  /** True when this call turned TTL on for `expires_at`. */
  ttlUpdated: boolean;
}

const DEFAULT_POLL_INTERVAL_MS = 1000;
const DEFAULT_MAX_POLLS = 120;

/**
 * Creates the table (`PK`/`SK` strings, on-demand billing by default), waits until it is ACTIVE
 * and enables TTL on `expires_at`. Idempotent: an existing table is kept and only TTL is turned
 * on when off. The result reports problems an existing table has (wrong key schema, TTL on another
 * attribute), which this function never changes. SDK failures throw `BackendError`.
 */
export async function createTable(
  client: DynamoDbClient,
  options: CreateTableOptions = {},
): Promise<CreateTableResult> {
  const tableName = options.tableName ?? DEFAULT_TABLE_NAME;
  assertTableName(tableName);
  const billing = billingOf(options);
  assertPolling(options);
  const plain = plainClientOf(client);
  const created = await sendCreateTable(plain, tableName, billing);
  const table = await waitUntilActive(plain, tableName, options);
  const ttl = await describeTimeToLive(plain, tableName, 'createTable');
  const ttlUpdated = ttl?.TimeToLiveStatus === undefined || ttl.TimeToLiveStatus === 'DISABLED';
  const finalTtl: TimeToLiveDescription | undefined = ttlUpdated
    ? await enableTimeToLive(plain, tableName)
    : ttl;
  return { ...checkOf(tableName, tableProblemsOf(table, finalTtl)), created, ttlUpdated };
}

interface Billing {
  BillingMode: BillingMode;
  ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
}

function billingOf(options: CreateTableOptions): Billing {
  const mode = options.billingMode ?? 'PAY_PER_REQUEST';
  const { readCapacityUnits: read, writeCapacityUnits: write } = options;
  if (mode === 'PAY_PER_REQUEST') {
    if (read !== undefined || write !== undefined) {
      throw new TypeError('Capacity units apply only to the PROVISIONED billing mode');
    }
    return { BillingMode: mode };
  }
  if (mode !== 'PROVISIONED') {
    throw new TypeError(
      `Unknown billing mode ${JSON.stringify(mode)}: use PAY_PER_REQUEST or PROVISIONED`,
    );
  }
  if (!isPositiveInteger(read) || !isPositiveInteger(write)) {
    throw new TypeError(
      'The PROVISIONED billing mode needs positive integer read and write capacity units',
    );
  }
  return {
    BillingMode: mode,
    ProvisionedThroughput: { ReadCapacityUnits: read, WriteCapacityUnits: write },
  };
}

async function sendCreateTable(
  client: DynamoDBClient,
  tableName: string,
  billing: Billing,
): Promise<boolean> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [
          { AttributeName: PARTITION_KEY_ATTRIBUTE, AttributeType: 'S' },
          { AttributeName: SORT_KEY_ATTRIBUTE, AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: PARTITION_KEY_ATTRIBUTE, KeyType: 'HASH' },
          { AttributeName: SORT_KEY_ATTRIBUTE, KeyType: 'RANGE' },
        ],
        ...billing,
      }),
    );
    return true;
  } catch (error) {
    if (errorNameOf(error) === 'ResourceInUseException') return false;
    throw new BackendError('createTable', undefined, error);
  }
}

async function waitUntilActive(
  client: DynamoDBClient,
  tableName: string,
  options: CreateTableOptions,
): Promise<TableDescription> {
  const maxPolls = options.maxPolls ?? DEFAULT_MAX_POLLS;
  const interval = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const sleep = options.sleep ?? ((milliseconds: number) => delay(milliseconds));
  for (let poll = 1; poll <= maxPolls; poll += 1) {
    const table = await describeTable(client, tableName, 'createTable');
    if (table?.TableStatus === 'ACTIVE') return table;
    if (poll < maxPolls) await sleep(interval);
  }
  throw new BackendError(
    'createTable',
    undefined,
    new Error(`Table '${tableName}' was not ACTIVE after ${maxPolls} polls ${interval} ms apart`),
  );
}

async function enableTimeToLive(
  client: DynamoDBClient,
  tableName: string,
): Promise<TimeToLiveDescription | undefined> {
  try {
    const output = await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { Enabled: true, AttributeName: EXPIRES_AT_ATTRIBUTE },
      }),
    );
    return output.TimeToLiveSpecification?.Enabled
      ? {
          TimeToLiveStatus: 'ENABLING',
          AttributeName: output.TimeToLiveSpecification.AttributeName,
        }
      : undefined;
  } catch (error) {
    throw new BackendError('createTable', undefined, error);
  }
}

function assertPolling(options: CreateTableOptions): void {
  if (options.maxPolls !== undefined && !isPositiveInteger(options.maxPolls)) {
    throw new TypeError('maxPolls must be a positive integer');
  }
  const interval = options.pollIntervalMs;
  if (interval !== undefined && !(Number.isFinite(interval) && interval >= 0)) {
    throw new TypeError('pollIntervalMs must be a non-negative number');
  }
}

function isPositiveInteger(value: number | undefined): value is number {
  return value !== undefined && Number.isInteger(value) && value > 0;
}
