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
  isTimeToLiveOff,
  layoutProblemsOf,
  type TableCheck,
  tableProblemsOf,
} from './table-check.js';
import { assertTableName, DEFAULT_TABLE_NAME } from './table-name.js';
import { UnusableTableError } from './unusable-table-error.js';

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
  /** Milliseconds between two DescribeTable polls while the table is CREATING or UPDATING (default 1,000). */
  pollIntervalMs?: number;
  /**
   * DescribeTable polls before giving up on ACTIVE (default 120): the wait lasts at most
   * `maxPolls` requests and `maxPolls - 1` pauses of `pollIntervalMs`, then throws `BackendError`.
   */
  maxPolls?: number;
  /** Waits between polls (default: a timer); tests pass one that resolves at once. */
  sleep?: (milliseconds: number) => Promise<void>;
}

/** What `createTable` did, and the check of the table it left (`ok` once TTL is on). */
export interface CreateTableResult extends TableCheck {
  /** True when this call created the table; false when it already existed. */
  created: boolean;
  /** True when this call turned TTL on for `expires_at`. */
  ttlUpdated: boolean;
}

const DEFAULT_POLL_INTERVAL_MS = 1000;
const DEFAULT_MAX_POLLS = 120;
const OPERATION = 'createTable';
/** Statuses a table leaves by itself; `createTable` waits for ACTIVE through them. */
const TRANSITIONAL_STATUSES = new Set(['CREATING', 'UPDATING']);

/**
 * Creates the table (`PK`/`SK` strings, on-demand billing by default), waits until it is ACTIVE
 * and enables TTL on `expires_at`. Idempotent: an existing table is kept, and TTL is turned on when
 * it is off. It looks before it writes: it creates the table only when DescribeTable finds none,
 * and an existing table with any other problem (wrong key schema, TTL on another attribute or
 * being disabled, a status such as DELETING) makes it throw `UnusableTableError` listing every
 * problem, with nothing changed. SDK failures throw `BackendError`.
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
  const described = await describeTable(plain, tableName, OPERATION);
  const created = described === undefined && (await sendCreateTable(plain, tableName, billing));
  const table =
    described === undefined || TRANSITIONAL_STATUSES.has(described.TableStatus ?? '')
      ? await waitUntilSettled(plain, tableName, options)
      : described;
  const ttl = await describeTimeToLive(plain, tableName, OPERATION);
  const problems = tableProblemsOf(table, ttl);
  if (problems.length === 0) return { ...checkOf(tableName, problems), created, ttlUpdated: false };
  if (layoutProblemsOf(table).length > 0 || !isTimeToLiveOff(ttl)) {
    throw new UnusableTableError(tableName, problems);
  }
  const enabledTtl = await enableTimeToLive(plain, tableName);
  return { ...checkOf(tableName, tableProblemsOf(table, enabledTtl)), created, ttlUpdated: true };
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
    throw new BackendError(OPERATION, undefined, error);
  }
}

/**
 * Polls DescribeTable until the table is visible and neither CREATING nor UPDATING (ACTIVE, or a
 * status the check then reports), at most `maxPolls` times.
 */
async function waitUntilSettled(
  client: DynamoDBClient,
  tableName: string,
  options: CreateTableOptions,
): Promise<TableDescription> {
  const maxPolls = options.maxPolls ?? DEFAULT_MAX_POLLS;
  const interval = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const sleep = options.sleep ?? ((milliseconds: number) => delay(milliseconds));
  for (let poll = 1; poll <= maxPolls; poll += 1) {
    const table = await describeTable(client, tableName, OPERATION);
    if (table && !TRANSITIONAL_STATUSES.has(table.TableStatus ?? '')) return table;
    if (poll < maxPolls) await sleep(interval);
  }
  throw new BackendError(
    OPERATION,
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
    throw new BackendError(OPERATION, undefined, error);
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
