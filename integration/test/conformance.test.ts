import type { Clock } from '@tasks/core';
import { describeBackendConformance } from '@tasks/core/testing/jest';
import { DynamoDbBackend } from '@tasks/dynamodb';
import { createTestTable, type TestTable } from '../src/index.js';
import { runEndpoint } from './support/run-endpoint.js';

/** The table of the conformance group running now; each group gets a fresh one, dropped after it. */
let table: Promise<TestTable> | undefined;

async function dynamoDbBackend(clock?: Clock): Promise<DynamoDbBackend> {
  table ??= createTestTable(runEndpoint(), { label: 'conformance' });
  const { documentClient, tableName } = await table;
  return new DynamoDbBackend({ client: documentClient, tableName, ...(clock ? { clock } : {}) });
}

async function dropTable(): Promise<void> {
  const current = table;
  table = undefined;
  await (await current)?.drop();
}

describeBackendConformance('DynamoDbBackend on DynamoDB Local', () => dynamoDbBackend(), {
  cleanupRemovesExpired: false,
  createBackendWithClock: dynamoDbBackend,
  teardown: dropTable,
});
