import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { runCli } from '../src/cli-program.js';

const dynamoMock = mockClient(DynamoDBClient);
const notFound = () => new ResourceNotFoundException({ message: 'no', $metadata: {} });

const GOOD_TABLE = {
  TableStatus: 'ACTIVE' as const,
  KeySchema: [
    { AttributeName: 'PK', KeyType: 'HASH' as const },
    { AttributeName: 'SK', KeyType: 'RANGE' as const },
  ],
  AttributeDefinitions: [
    { AttributeName: 'PK', AttributeType: 'S' as const },
    { AttributeName: 'SK', AttributeType: 'S' as const },
  ],
};

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

beforeEach(() => {
  dynamoMock.reset();
});

describe('tasks-dynamodb', () => {
  it('prints help listing both commands', async () => {
    const { code, stdout } = await run('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: tasks-dynamodb');
    expect(stdout).toContain('create-table');
    expect(stdout).toContain('check-table');
  });

  it('prints the flags of create-table', async () => {
    const { code, stdout } = await run('create-table', '--help');
    expect(code).toBe(0);
    for (const flag of [
      '--table <name>',
      '--region <region>',
      '--endpoint <url>',
      '--billing-mode <mode>',
      '--request-timeout <ms>',
    ]) {
      expect(stdout).toContain(flag);
    }
    expect(dynamoMock.calls()).toHaveLength(0);
  });

  it('shows the request timeout default and variable in the help of both commands', async () => {
    for (const command of ['create-table', 'check-table']) {
      const { stdout } = await run(command, '--help');
      expect(stdout.replace(/\s+/g, ' ')).toContain(
        '(default: 5000, env: TASKS_DYNAMODB_REQUEST_TIMEOUT_MS)',
      );
    }
  });

  it('create-table creates the table at the endpoint given and reports it ready', async () => {
    dynamoMock.on(CreateTableCommand).resolves({});
    dynamoMock.on(DescribeTableCommand).rejectsOnce(notFound()).resolves({ Table: GOOD_TABLE });
    dynamoMock
      .on(DescribeTimeToLiveCommand)
      .resolves({ TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } });
    dynamoMock.on(UpdateTimeToLiveCommand).resolves({
      TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires_at' },
    });
    const result = await run(
      'create-table',
      '--table',
      'my-tasks',
      '--region',
      'us-east-1',
      '--endpoint',
      'http://127.0.0.1:8000',
    );
    expect(result).toEqual({
      code: 0,
      stdout:
        "Created table 'my-tasks'.\nEnabled time to live on 'expires_at'.\n" +
        "Table 'my-tasks' is ready: PK/SK strings, time to live on 'expires_at'.\n",
      stderr: '',
    });
    expect(dynamoMock.commandCalls(CreateTableCommand)[0]?.args[0].input).toMatchObject({
      TableName: 'my-tasks',
      BillingMode: 'PAY_PER_REQUEST',
    });
    const client = dynamoMock.call(0).thisValue as DynamoDBClient;
    expect(await client.config.region()).toBe('us-east-1');
    expect(await client.config.endpoint?.()).toMatchObject({ hostname: '127.0.0.1', port: 8000 });
  });

  it('create-table passes provisioned capacity', async () => {
    dynamoMock.on(CreateTableCommand).resolves({});
    dynamoMock.on(DescribeTableCommand).rejectsOnce(notFound()).resolves({ Table: GOOD_TABLE });
    dynamoMock.on(DescribeTimeToLiveCommand).resolves({
      TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'expires_at' },
    });
    const { code } = await run(
      'create-table',
      '--region',
      'us-east-1',
      '--billing-mode',
      'PROVISIONED',
      '--read-capacity',
      '5',
      '--write-capacity',
      '3',
    );
    expect(code).toBe(0);
    expect(dynamoMock.commandCalls(CreateTableCommand)[0]?.args[0].input).toMatchObject({
      TableName: 'tasks',
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 3 },
    });
  });

  it('create-table refuses an existing table it cannot use: exit 1, every problem, no write', async () => {
    dynamoMock.on(DescribeTableCommand).resolves({
      Table: {
        ...GOOD_TABLE,
        KeySchema: [
          { AttributeName: 'SK', KeyType: 'HASH' as const },
          { AttributeName: 'PK', KeyType: 'RANGE' as const },
        ],
      },
    });
    dynamoMock
      .on(DescribeTimeToLiveCommand)
      .resolves({ TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } });
    const result = await run('create-table', '--table', 'other-app', '--region', 'us-east-1');
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr:
        "Table 'other-app' has problems:\n" +
        "  - Partition key is 'SK'; it must be 'PK' (string)\n" +
        "  - Sort key is 'PK'; it must be 'SK' (string)\n" +
        "  - Time to live is DISABLED; enable it on 'expires_at' so DynamoDB deletes expired items\n" +
        'Nothing was changed: create-table does not touch an existing table it cannot use.\n',
    });
    expect(dynamoMock.commandCalls(UpdateTimeToLiveCommand)).toHaveLength(0);
    expect(dynamoMock.commandCalls(CreateTableCommand)).toHaveLength(0);
  });

  it('create-table refuses a table whose TTL is on another attribute, changing nothing', async () => {
    dynamoMock.on(DescribeTableCommand).resolves({ Table: GOOD_TABLE });
    dynamoMock.on(DescribeTimeToLiveCommand).resolves({
      TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'ttl' },
    });
    const { code, stderr } = await run('create-table', '--region', 'us-east-1');
    expect(code).toBe(1);
    expect(stderr).toContain("  - Time to live uses attribute 'ttl'; it must use 'expires_at'\n");
    expect(stderr).toContain('Nothing was changed');
    expect(dynamoMock.commandCalls(UpdateTimeToLiveCommand)).toHaveLength(0);
    expect(dynamoMock.commandCalls(CreateTableCommand)).toHaveLength(0);
  });

  it('check-table exits 0 for a good table and 1 with the problems listed', async () => {
    dynamoMock.on(DescribeTableCommand).resolves({ Table: GOOD_TABLE });
    dynamoMock
      .on(DescribeTimeToLiveCommand)
      .resolvesOnce({
        TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'expires_at' },
      })
      .resolvesOnce({ TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } });
    const good = await run('check-table', '--region', 'us-east-1');
    expect(good).toMatchObject({ code: 0, stderr: '' });
    expect(good.stdout).toContain("Table 'tasks' is ready");
    const bad = await run('check-table', '--region', 'us-east-1');
    expect(bad).toEqual({
      code: 1,
      stdout: '',
      stderr:
        "Table 'tasks' has problems:\n" +
        "  - Time to live is DISABLED; enable it on 'expires_at' so DynamoDB deletes expired items\n",
    });
  });

  it('check-table exits 1 for a missing table', async () => {
    dynamoMock.on(DescribeTableCommand).rejects(notFound());
    const { code, stderr } = await run('check-table', '--table', 'absent', '--region', 'us-east-1');
    expect(code).toBe(1);
    expect(stderr).toContain("Table 'absent' does not exist");
  });

  it('exits 1 with the error when a request fails', async () => {
    dynamoMock
      .on(DescribeTableCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    const { code, stderr } = await run('check-table', '--region', 'us-east-1');
    expect(code).toBe(1);
    expect(stderr).toBe(
      'error: Storage backend failed during checkTable: AccessDeniedException: not authorized\n',
    );
  });

  it('rejects bad usage without sending a request', async () => {
    const attempts = [
      ['create-table', '--bogus'],
      ['create-table', '--read-capacity', 'many'],
      ['create-table', '--billing-mode', 'ON_DEMAND'],
      ['create-table', '--request-timeout', '0'],
      ['check-table', '--request-timeout', 'soon'],
      ['check-table', '--request-timeout', '2147483648'],
      ['drop-table'],
      [],
    ];
    for (const args of attempts) {
      const { code, stderr } = await run(...args);
      expect(code).not.toBe(0);
      expect(stderr.length).toBeGreaterThan(0);
    }
    expect(dynamoMock.calls()).toHaveLength(0);
  });

  it('reports an invalid table name as an error', async () => {
    const { code, stderr } = await run('check-table', '--table', 'x', '--region', 'us-east-1');
    expect(code).toBe(1);
    expect(stderr).toContain('Invalid DynamoDB table name "x"');
    expect(dynamoMock.calls()).toHaveLength(0);
  });
});
