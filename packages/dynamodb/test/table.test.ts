import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BackendError } from '@tasks/core';
import { mockClient } from 'aws-sdk-client-mock';
import { checkTable, createTable } from '../src/index.js';
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

function client(): DynamoDBClient {
  return new DynamoDBClient({ region: 'us-east-1' });
}

function sent(): Array<[string, unknown]> {
  return dynamoMock.calls().map((call) => {
    const command = call.args[0] as { constructor: { name: string }; input: unknown };
    return [command.constructor.name, command.input];
  });
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
      .resolvesOnce({ Table: { ...GOOD_TABLE, TableStatus: 'CREATING' } })
      .resolvesOnce({ Table: GOOD_TABLE });
    dynamoMock.on(DescribeTimeToLiveCommand).resolves({
      TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' },
    });
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

  it('is idempotent: an existing table with TTL on is left as it is', async () => {
    dynamoMock
      .on(CreateTableCommand)
      .rejects(new ResourceInUseException({ message: 'exists', ...metadata }));
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
    expect(dynamoMock.commandCalls(UpdateTimeToLiveCommand)).toHaveLength(0);
  });

  it('reports the problems of an existing table it cannot fix', async () => {
    dynamoMock
      .on(CreateTableCommand)
      .rejects(new ResourceInUseException({ message: 'exists', ...metadata }));
    dynamoMock.on(DescribeTableCommand).resolves({
      Table: { ...GOOD_TABLE, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] },
    });
    dynamoMock.on(DescribeTimeToLiveCommand).resolves({
      TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'ttl' },
    });
    const result = await createTable(client(), { tableName: 'legacy', sleep: noSleep() });
    expect(result).toEqual({
      tableName: 'legacy',
      ok: false,
      created: false,
      ttlUpdated: false,
      problems: [
        "Partition key is 'id'; it must be 'PK' (string)",
        "Sort key is missing; it must be 'SK' (string)",
        "Time to live uses attribute 'ttl'; it must use 'expires_at'",
      ],
    });
  });

  it('creates a PROVISIONED table with the capacity given', async () => {
    dynamoMock.on(CreateTableCommand).resolves({});
    dynamoMock.on(DescribeTableCommand).resolves({ Table: GOOD_TABLE });
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
      .rejectsOnce(new ResourceNotFoundException({ message: 'not yet', ...metadata }))
      .resolves({ Table: { ...GOOD_TABLE, TableStatus: 'CREATING' } });
    const sleep = noSleep();
    const error = await rejectionOf(
      createTable(client(), { maxPolls: 3, pollIntervalMs: 5, sleep }),
    );
    expect(error).toBeInstanceOf(BackendError);
    expect((error as Error).message).toContain(
      "Table 'tasks' was not ACTIVE after 3 polls 5 ms apart",
    );
    expect(dynamoMock.commandCalls(DescribeTableCommand)).toHaveLength(3);
    expect(sleep.mock.calls).toEqual([[5], [5]]);
  });

  it('sends its commands through a DocumentClient too', async () => {
    documentMock.on(CreateTableCommand).resolves({});
    documentMock.on(DescribeTableCommand).resolves({ Table: GOOD_TABLE });
    documentMock.on(DescribeTimeToLiveCommand).resolves({ TimeToLiveDescription: TTL_ON });
    const documentClient = DynamoDBDocumentClient.from(client());
    expect(await createTable(documentClient, { sleep: noSleep() })).toMatchObject({
      ok: true,
      created: true,
    });
    expect(documentMock.calls()).toHaveLength(3);
  });

  it('turns other SDK failures into BackendError', async () => {
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
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
