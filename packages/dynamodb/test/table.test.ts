import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  type TableDescription,
  type TimeToLiveDescription,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BackendError, StorageError } from '@tasks/core';
import { mockClient } from 'aws-sdk-client-mock';
import { checkTable, createTable, UnusableTableError } from '../src/index.js';
import { documentMock, rejectionOf } from './helpers.js';

const dynamoMock = mockClient(DynamoDBClient);
const metadata = { $metadata: { httpStatusCode: 400 } };

const GOOD_TABLE: TableDescription = {
  TableName: 'tasks',
  TableStatus: 'ACTIVE',
  KeySchema: [
    { AttributeName: 'PK', KeyType: 'HASH' },
    { AttributeName: 'SK', KeyType: 'RANGE' },
  ],
  AttributeDefinitions: [
    { AttributeName: 'PK', AttributeType: 'S' },
    { AttributeName: 'SK', AttributeType: 'S' },
  ],
};
const TTL_ON = { TimeToLiveStatus: 'ENABLED' as const, AttributeName: 'expires_at' };
const TTL_OFF = { TimeToLiveStatus: 'DISABLED' as const };
const TTL_OFF_PROBLEM =
  "Time to live is DISABLED; enable it on 'expires_at' so DynamoDB deletes expired items";
const notFound = () => new ResourceNotFoundException({ message: 'not found', ...metadata });

function client(): DynamoDBClient {
  return new DynamoDBClient({ region: 'us-east-1' });
}

function sent(): Array<[string, unknown]> {
  return dynamoMock.calls().map((call) => {
    const command = call.args[0] as { constructor: { name: string }; input: unknown };
    return [command.constructor.name, command.input];
  });
}

function sentNames(): string[] {
  return sent().map(([name]) => name);
}

function noSleep(): jest.Mock<(milliseconds: number) => Promise<void>> {
  return jest.fn(async () => undefined);
}

beforeEach(() => {
  dynamoMock.reset();
  documentMock.reset();
});

describe('createTable', () => {
  it('creates an on-demand PK/SK table, waits until ACTIVE and enables TTL on expires_at', async () => {
    dynamoMock.on(CreateTableCommand).resolves({});
    dynamoMock
      .on(DescribeTableCommand)
      .rejectsOnce(notFound())
      .resolvesOnce({ Table: { ...GOOD_TABLE, TableStatus: 'CREATING' } })
      .resolvesOnce({ Table: GOOD_TABLE });
    dynamoMock.on(DescribeTimeToLiveCommand).resolves({ TimeToLiveDescription: TTL_OFF });
    dynamoMock.on(UpdateTimeToLiveCommand).resolves({
      TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires_at' },
    });
    const sleep = noSleep();
    const result = await createTable(client(), { sleep });
    expect(result).toEqual({
      tableName: 'tasks',
      ok: true,
      problems: [],
      created: true,
      ttlUpdated: true,
    });
    expect(sleep.mock.calls).toEqual([[1000]]);
    expect(sent()).toEqual([
      ['DescribeTableCommand', { TableName: 'tasks' }],
      [
        'CreateTableCommand',
        {
          TableName: 'tasks',
          AttributeDefinitions: [
            { AttributeName: 'PK', AttributeType: 'S' },
            { AttributeName: 'SK', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'PK', KeyType: 'HASH' },
            { AttributeName: 'SK', KeyType: 'RANGE' },
          ],
          BillingMode: 'PAY_PER_REQUEST',
        },
      ],
      ['DescribeTableCommand', { TableName: 'tasks' }],
      ['DescribeTableCommand', { TableName: 'tasks' }],
      ['DescribeTimeToLiveCommand', { TableName: 'tasks' }],
      [
        'UpdateTimeToLiveCommand',
        {
          TableName: 'tasks',
          TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires_at' },
        },
      ],
    ]);
  });

  it('is idempotent: an existing table with TTL on is left as it is, after two reads', async () => {
    dynamoMock.on(DescribeTableCommand).resolves({ Table: GOOD_TABLE });
    dynamoMock.on(DescribeTimeToLiveCommand).resolves({ TimeToLiveDescription: TTL_ON });
    const result = await createTable(client(), { sleep: noSleep() });
    expect(result).toEqual({
      tableName: 'tasks',
      ok: true,
      problems: [],
      created: false,
      ttlUpdated: false,
    });
    expect(sentNames()).toEqual(['DescribeTableCommand', 'DescribeTimeToLiveCommand']);
  });

  it('enables TTL on an existing good table where it is off, and creates nothing', async () => {
    dynamoMock.on(DescribeTableCommand).resolves({ Table: GOOD_TABLE });
    dynamoMock.on(DescribeTimeToLiveCommand).resolves({ TimeToLiveDescription: TTL_OFF });
    dynamoMock.on(UpdateTimeToLiveCommand).resolves({
      TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires_at' },
    });
    expect(await createTable(client(), { sleep: noSleep() })).toEqual({
      tableName: 'tasks',
      ok: true,
      problems: [],
      created: false,
      ttlUpdated: true,
    });
    expect(sentNames()).toEqual([
      'DescribeTableCommand',
      'DescribeTimeToLiveCommand',
      'UpdateTimeToLiveCommand',
    ]);
  });

  const unusable: Array<{
    name: string;
    table: TableDescription;
    ttl: TimeToLiveDescription;
    problems: string[];
  }> = [
    {
      name: 'a partition key only',
      table: {
        ...GOOD_TABLE,
        KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'S' }],
      },
      ttl: TTL_OFF,
      problems: ["Sort key is missing; it must be 'SK' (string)", TTL_OFF_PROBLEM],
    },
    {
      name: 'the keys swapped',
      table: {
        ...GOOD_TABLE,
        KeySchema: [
          { AttributeName: 'SK', KeyType: 'HASH' },
          { AttributeName: 'PK', KeyType: 'RANGE' },
        ],
      },
      ttl: TTL_OFF,
      problems: [
        "Partition key is 'SK'; it must be 'PK' (string)",
        "Sort key is 'PK'; it must be 'SK' (string)",
        TTL_OFF_PROBLEM,
      ],
    },
    {
      name: 'a number partition key',
      table: {
        ...GOOD_TABLE,
        AttributeDefinitions: [
          { AttributeName: 'PK', AttributeType: 'N' },
          { AttributeName: 'SK', AttributeType: 'S' },
        ],
      },
      ttl: TTL_OFF,
      problems: ["Partition key 'PK' has type N; it must be S (string)", TTL_OFF_PROBLEM],
    },
    {
      name: 'lowercase key names',
      table: {
        ...GOOD_TABLE,
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
      },
      ttl: TTL_OFF,
      problems: [
        "Partition key is 'pk'; it must be 'PK' (string)",
        "Sort key is 'sk'; it must be 'SK' (string)",
        TTL_OFF_PROBLEM,
      ],
    },
    {
      name: 'TTL enabled on another attribute',
      table: GOOD_TABLE,
      ttl: { TimeToLiveStatus: 'ENABLED', AttributeName: 'ttl' },
      problems: ["Time to live uses attribute 'ttl'; it must use 'expires_at'"],
    },
    {
      name: 'TTL being enabled on another attribute',
      table: GOOD_TABLE,
      ttl: { TimeToLiveStatus: 'ENABLING', AttributeName: 'expiry' },
      problems: ["Time to live uses attribute 'expiry'; it must use 'expires_at'"],
    },
    {
      name: 'TTL being disabled',
      table: GOOD_TABLE,
      ttl: { TimeToLiveStatus: 'DISABLING', AttributeName: 'expires_at' },
      problems: [
        "Time to live is DISABLING; enable it on 'expires_at' so DynamoDB deletes expired items",
      ],
    },
    {
      name: 'a table being deleted',
      table: { ...GOOD_TABLE, TableStatus: 'DELETING' },
      ttl: TTL_OFF,
      problems: ['Table status is DELETING; it must be ACTIVE', TTL_OFF_PROBLEM],
    },
    {
      name: 'wrong keys and TTL on another attribute',
      table: { ...GOOD_TABLE, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] },
      ttl: { TimeToLiveStatus: 'ENABLED', AttributeName: 'ttl' },
      problems: [
        "Partition key is 'id'; it must be 'PK' (string)",
        "Sort key is missing; it must be 'SK' (string)",
        "Time to live uses attribute 'ttl'; it must use 'expires_at'",
      ],
    },
  ];

  it.each(unusable)(
    'refuses an existing table with $name: UnusableTableError listing every problem, nothing written',
    async ({ table, ttl, problems }) => {
      dynamoMock.on(DescribeTableCommand).resolves({ Table: table });
      dynamoMock.on(DescribeTimeToLiveCommand).resolves({ TimeToLiveDescription: ttl });
      const error = await rejectionOf(
        createTable(client(), { tableName: 'legacy', sleep: noSleep() }),
      );
      expect(error).toBeInstanceOf(UnusableTableError);
      expect(error).toBeInstanceOf(StorageError);
      expect(error).toMatchObject({ name: 'UnusableTableError', tableName: 'legacy', problems });
      expect((error as Error).message).toBe(
        `Table 'legacy' exists but cannot be used, and nothing was changed on it: ${problems.join('; ')}`,
      );
      expect(dynamoMock.commandCalls(UpdateTimeToLiveCommand)).toHaveLength(0);
      expect(dynamoMock.commandCalls(CreateTableCommand)).toHaveLength(0);
      expect(sentNames()).toEqual(['DescribeTableCommand', 'DescribeTimeToLiveCommand']);
    },
  );

  it('refuses a table another caller created with the wrong keys between its look and its create', async () => {
    const foreign: TableDescription = {
      ...GOOD_TABLE,
      KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }],
    };
    dynamoMock
      .on(CreateTableCommand)
      .rejects(new ResourceInUseException({ message: 'exists', ...metadata }));
    dynamoMock
      .on(DescribeTableCommand)
      .rejectsOnce(notFound())
      .resolvesOnce({ Table: { ...foreign, TableStatus: 'CREATING' } })
      .resolves({ Table: foreign });
    dynamoMock.on(DescribeTimeToLiveCommand).resolves({ TimeToLiveDescription: TTL_OFF });
    const sleep = noSleep();
    const error = await rejectionOf(createTable(client(), { sleep }));
    expect(error).toBeInstanceOf(UnusableTableError);
    expect((error as UnusableTableError).problems).toEqual([
      "Sort key is missing; it must be 'SK' (string)",
      TTL_OFF_PROBLEM,
    ]);
    expect(sleep.mock.calls).toEqual([[1000]]);
    expect(sentNames()).toEqual([
      'DescribeTableCommand',
      'CreateTableCommand',
      'DescribeTableCommand',
      'DescribeTableCommand',
      'DescribeTimeToLiveCommand',
    ]);
  });

  it('waits for an existing UPDATING table to be ACTIVE before it enables TTL', async () => {
    dynamoMock
      .on(DescribeTableCommand)
      .resolvesOnce({ Table: { ...GOOD_TABLE, TableStatus: 'UPDATING' } })
      .resolvesOnce({ Table: { ...GOOD_TABLE, TableStatus: 'UPDATING' } })
      .resolves({ Table: GOOD_TABLE });
    dynamoMock.on(DescribeTimeToLiveCommand).resolves({ TimeToLiveDescription: TTL_OFF });
    dynamoMock.on(UpdateTimeToLiveCommand).resolves({
      TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires_at' },
    });
    const sleep = noSleep();
    expect(await createTable(client(), { sleep })).toMatchObject({
      ok: true,
      created: false,
      ttlUpdated: true,
    });
    expect(sleep.mock.calls).toEqual([[1000]]);
    expect(sentNames()).toEqual([
      'DescribeTableCommand',
      'DescribeTableCommand',
      'DescribeTableCommand',
      'DescribeTimeToLiveCommand',
      'UpdateTimeToLiveCommand',
    ]);
  });

  it('stops waiting when a table it waits for turns to a status that does not become ACTIVE', async () => {
    dynamoMock
      .on(DescribeTableCommand)
      .resolvesOnce({ Table: { ...GOOD_TABLE, TableStatus: 'CREATING' } })
      .resolvesOnce({ Table: { ...GOOD_TABLE, TableStatus: 'CREATING' } })
      .resolves({ Table: { ...GOOD_TABLE, TableStatus: 'DELETING' } });
    dynamoMock.on(DescribeTimeToLiveCommand).resolves({ TimeToLiveDescription: TTL_OFF });
    const sleep = noSleep();
    const error = await rejectionOf(createTable(client(), { sleep }));
    expect(error).toBeInstanceOf(UnusableTableError);
    expect((error as UnusableTableError).problems).toEqual([
      'Table status is DELETING; it must be ACTIVE',
      TTL_OFF_PROBLEM,
    ]);
    expect(sleep.mock.calls).toEqual([[1000]]);
    expect(dynamoMock.commandCalls(DescribeTableCommand)).toHaveLength(3);
    expect(dynamoMock.commandCalls(UpdateTimeToLiveCommand)).toHaveLength(0);
  });

  it('creates a PROVISIONED table with the capacity given', async () => {
    dynamoMock.on(CreateTableCommand).resolves({});
    dynamoMock.on(DescribeTableCommand).rejectsOnce(notFound()).resolves({ Table: GOOD_TABLE });
    dynamoMock.on(DescribeTimeToLiveCommand).resolves({ TimeToLiveDescription: TTL_ON });
    await createTable(client(), {
      billingMode: 'PROVISIONED',
      readCapacityUnits: 5,
      writeCapacityUnits: 2,
      sleep: noSleep(),
    });
    expect(dynamoMock.commandCalls(CreateTableCommand)[0]?.args[0].input).toMatchObject({
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 2 },
    });
  });

  it('rejects inconsistent options before any request', async () => {
    const invalid = [
      { billingMode: 'PROVISIONED' as const, readCapacityUnits: 5 },
      { billingMode: 'PROVISIONED' as const, readCapacityUnits: 0, writeCapacityUnits: 1 },
      { readCapacityUnits: 5, writeCapacityUnits: 5 },
      { billingMode: 'ON_DEMAND' as unknown as 'PROVISIONED' },
      { tableName: 'no spaces allowed' },
      { maxPolls: 0 },
      { pollIntervalMs: -1 },
    ];
    for (const options of invalid) {
      expect(await rejectionOf(createTable(client(), options))).toBeInstanceOf(TypeError);
    }
    expect(sent()).toEqual([]);
  });

  it('keeps polling while the new table is not yet visible, and gives up after maxPolls', async () => {
    dynamoMock.on(CreateTableCommand).resolves({});
    dynamoMock
      .on(DescribeTableCommand)
      .rejectsOnce(notFound())
      .rejectsOnce(notFound())
      .resolves({ Table: { ...GOOD_TABLE, TableStatus: 'CREATING' } });
    const sleep = noSleep();
    const error = await rejectionOf(
      createTable(client(), { maxPolls: 3, pollIntervalMs: 5, sleep }),
    );
    expect(error).toBeInstanceOf(BackendError);
    expect((error as Error).message).toContain(
      "Table 'tasks' was not ACTIVE after 3 polls 5 ms apart",
    );
    expect(dynamoMock.commandCalls(DescribeTableCommand)).toHaveLength(1 + 3);
    expect(sleep.mock.calls).toEqual([[5], [5]]);
    expect(dynamoMock.commandCalls(UpdateTimeToLiveCommand)).toHaveLength(0);
  });

  it('sends its commands through a DocumentClient too', async () => {
    documentMock.on(CreateTableCommand).resolves({});
    documentMock.on(DescribeTableCommand).rejectsOnce(notFound()).resolves({ Table: GOOD_TABLE });
    documentMock.on(DescribeTimeToLiveCommand).resolves({ TimeToLiveDescription: TTL_ON });
    const documentClient = DynamoDBDocumentClient.from(client());
    expect(await createTable(documentClient, { sleep: noSleep() })).toMatchObject({
      ok: true,
      created: true,
    });
    expect(documentMock.calls()).toHaveLength(4);
  });

  it('turns other SDK failures into BackendError', async () => {
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
    dynamoMock.on(DescribeTableCommand).rejects(notFound());
    dynamoMock.on(CreateTableCommand).rejects(denied);
    const error = await rejectionOf(createTable(client(), { sleep: noSleep() }));
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ operation: 'createTable', cause: denied });
  });
});

describe('checkTable', () => {
  it('is ok for a PK/SK table with TTL on expires_at, after two requests', async () => {
    dynamoMock.on(DescribeTableCommand).resolves({ Table: GOOD_TABLE });
    dynamoMock.on(DescribeTimeToLiveCommand).resolves({ TimeToLiveDescription: TTL_ON });
    expect(await checkTable(client(), 'tasks')).toEqual({
      tableName: 'tasks',
      ok: true,
      problems: [],
    });
    expect(sent()).toEqual([
      ['DescribeTableCommand', { TableName: 'tasks' }],
      ['DescribeTimeToLiveCommand', { TableName: 'tasks' }],
    ]);
  });

  it('reports a missing table', async () => {
    dynamoMock
      .on(DescribeTableCommand)
      .rejects(new ResourceNotFoundException({ message: 'no', ...metadata }));
    expect(await checkTable(client(), 'absent')).toEqual({
      tableName: 'absent',
      ok: false,
      problems: ["Table 'absent' does not exist"],
    });
  });

  it('lists every problem in readable sentences', async () => {
    dynamoMock.on(DescribeTableCommand).resolves({
      Table: {
        TableStatus: 'DELETING',
        KeySchema: [
          { AttributeName: 'PK', KeyType: 'HASH' },
          { AttributeName: 'sort', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'PK', AttributeType: 'N' },
          { AttributeName: 'sort', AttributeType: 'S' },
        ],
      },
    });
    dynamoMock.on(DescribeTimeToLiveCommand).resolves({
      TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' },
    });
    expect((await checkTable(client(), 'tasks')).problems).toEqual([
      'Table status is DELETING; it must be ACTIVE',
      "Partition key 'PK' has type N; it must be S (string)",
      "Sort key is 'sort'; it must be 'SK' (string)",
      "Time to live is DISABLED; enable it on 'expires_at' so DynamoDB deletes expired items",
    ]);
  });

  it('turns SDK failures into BackendError', async () => {
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
    dynamoMock.on(DescribeTableCommand).resolves({ Table: GOOD_TABLE });
    dynamoMock.on(DescribeTimeToLiveCommand).rejects(denied);
    expect(await rejectionOf(checkTable(client(), 'tasks'))).toMatchObject({
      name: 'BackendError',
      operation: 'checkTable',
      cause: denied,
    });
  });
});
