import { randomBytes } from 'node:crypto';
import {
  type AttributeDefinition,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  type KeySchemaElement,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDynamoDbClients } from '../src/index.js';
import { runEndpoint } from './support/run-endpoint.js';
import { runTasksDynamoDbCli } from './support/tasks-dynamodb-cli.js';

const TTL_OFF_PROBLEM =
  "Time to live is DISABLED; enable it on 'expires_at' so DynamoDB deletes expired items";
const NOTHING_CHANGED =
  'Nothing was changed: create-table does not touch an existing table it cannot use.\n';

/** A table of another application, made with the raw SDK, that `create-table` must leave alone. */
interface ForeignTable {
  label: string;
  keySchema: KeySchemaElement[];
  attributes: AttributeDefinition[];
  problems: string[];
}

const FOREIGN_TABLES: ForeignTable[] = [
  {
    label: 'hash-only',
    keySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }],
    attributes: [{ AttributeName: 'PK', AttributeType: 'S' }],
    problems: ["Sort key is missing; it must be 'SK' (string)", TTL_OFF_PROBLEM],
  },
  {
    label: 'swapped',
    keySchema: [
      { AttributeName: 'SK', KeyType: 'HASH' },
      { AttributeName: 'PK', KeyType: 'RANGE' },
    ],
    attributes: [
      { AttributeName: 'SK', AttributeType: 'S' },
      { AttributeName: 'PK', AttributeType: 'S' },
    ],
    problems: [
      "Partition key is 'SK'; it must be 'PK' (string)",
      "Sort key is 'PK'; it must be 'SK' (string)",
      TTL_OFF_PROBLEM,
    ],
  },
  {
    label: 'number-pk',
    keySchema: [
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ],
    attributes: [
      { AttributeName: 'PK', AttributeType: 'N' },
      { AttributeName: 'SK', AttributeType: 'S' },
    ],
    problems: ["Partition key 'PK' has type N; it must be S (string)", TTL_OFF_PROBLEM],
  },
  {
    label: 'lowercase',
    keySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    attributes: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    problems: [
      "Partition key is 'pk'; it must be 'PK' (string)",
      "Sort key is 'sk'; it must be 'SK' (string)",
      TTL_OFF_PROBLEM,
    ],
  },
];

const GOOD_KEYS: Pick<ForeignTable, 'keySchema' | 'attributes'> = {
  keySchema: [
    { AttributeName: 'PK', KeyType: 'HASH' },
    { AttributeName: 'SK', KeyType: 'RANGE' },
  ],
  attributes: [
    { AttributeName: 'PK', AttributeType: 'S' },
    { AttributeName: 'SK', AttributeType: 'S' },
  ],
};

let client: DynamoDBClient;
const tableNames: string[] = [];

function newTableName(label: string): string {
  const tableName = `tasks-it-cli-${label}-${randomBytes(6).toString('hex')}`;
  tableNames.push(tableName);
  return tableName;
}

async function createRawTable(
  label: string,
  { keySchema, attributes }: Pick<ForeignTable, 'keySchema' | 'attributes'>,
): Promise<string> {
  const tableName = newTableName(label);
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      KeySchema: keySchema,
      AttributeDefinitions: attributes,
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
  return tableName;
}

/** What `create-table` could change: the key schema, the status and the TTL setting. */
async function settingsOf(tableName: string) {
  const { Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const { TimeToLiveDescription: ttl } = await client.send(
    new DescribeTimeToLiveCommand({ TableName: tableName }),
  );
  return {
    status: table?.TableStatus,
    keySchema: table?.KeySchema,
    attributes: table?.AttributeDefinitions,
    ttl,
  };
}

function problemLines(tableName: string, problems: string[]): string {
  return `Table '${tableName}' has problems:\n${problems.map((problem) => `  - ${problem}\n`).join('')}`;
}

beforeAll(() => {
  client = createDynamoDbClients(runEndpoint()).client;
});

afterAll(async () => {
  for (const tableName of tableNames) {
    await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
  }
  client.destroy();
});

describe('tasks-dynamodb create-table (real process) on a table it cannot use', () => {
  it.each(FOREIGN_TABLES)(
    'leaves a $label table as it was, TTL off, and exits 1 listing every problem',
    async (foreign) => {
      const tableName = await createRawTable(foreign.label, foreign);
      const before = await settingsOf(tableName);
      expect(before.ttl?.TimeToLiveStatus).toBe('DISABLED');

      const run = await runTasksDynamoDbCli([
        'create-table',
        '--table',
        tableName,
        '--endpoint',
        runEndpoint(),
      ]);

      expect(run).toMatchObject({
        code: 1,
        stdout: '',
        stderr: problemLines(tableName, foreign.problems) + NOTHING_CHANGED,
      });
      expect(await settingsOf(tableName)).toEqual(before);
    },
  );

  it('leaves TTL on another attribute as it was, and exits 1', async () => {
    const tableName = await createRawTable('ttl-elsewhere', GOOD_KEYS);
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' },
      }),
    );
    const before = await settingsOf(tableName);
    expect(before.ttl).toMatchObject({ AttributeName: 'ttl' });

    const run = await runTasksDynamoDbCli([
      'create-table',
      '--table',
      tableName,
      '--endpoint',
      runEndpoint(),
    ]);

    expect(run).toMatchObject({
      code: 1,
      stdout: '',
      stderr:
        problemLines(tableName, ["Time to live uses attribute 'ttl'; it must use 'expires_at'"]) +
        NOTHING_CHANGED,
    });
    expect(await settingsOf(tableName)).toEqual(before);
  });

  it('still creates a missing table, and check-table then finds it ready', async () => {
    const tableName = newTableName('fresh');
    const endpoint = runEndpoint();
    const created = await runTasksDynamoDbCli([
      'create-table',
      '--table',
      tableName,
      '--endpoint',
      endpoint,
    ]);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toContain(`Created table '${tableName}'.`);
    expect(created.stdout).toContain("Enabled time to live on 'expires_at'.");

    const checked = await runTasksDynamoDbCli([
      'check-table',
      '--table',
      tableName,
      '--endpoint',
      endpoint,
    ]);
    expect(checked).toMatchObject({ code: 0, stderr: '' });
    expect(checked.stdout).toContain(`Table '${tableName}' is ready`);
  });
});
