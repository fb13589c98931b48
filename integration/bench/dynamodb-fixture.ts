import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GenericTaskStore } from '@tasks/core';
import { createTable, DynamoDbBackend } from '@tasks/dynamodb';
import { dynamoDbClientConfig } from '@tasks/dynamodb-local';
import { RawTable } from './raw-table.js';
import { RequestCounter } from './request-counter.js';
import { runBounded } from './task-data.js';

/** Tasks the warm-up creates, reads, changes and lists. */
const WARM_UP_TASKS = 500;

/** One table on the benchmark endpoint, and every way the parts reach it. */
export interface DynamoDbFixture {
  /** The table, new for this run. */
  tableName: string;
  /** The counted client, for backends a part builds itself (on a fake clock, say). */
  client: DynamoDBClient;
  /** Counts every HTTP attempt sent to the endpoint through this fixture. */
  counter: RequestCounter;
  /** `DynamoDbBackend` on the counted client. */
  backend: DynamoDbBackend;
  /** The same requests written directly against a DocumentClient on the counted client. */
  raw: RawTable;
  /** Deletes the table and releases the client. */
  close(): Promise<void>;
}

/**
 * Creates a table named after `startedAt` on `endpoint` (with `createTable`, as users do) and a
 * counted client, backend and raw DocumentClient on it.
 */
export async function openDynamoDbFixture(
  endpoint: string,
  startedAt: Date,
): Promise<DynamoDbFixture> {
  const client = new DynamoDBClient(dynamoDbClientConfig(endpoint));
  const tableName = `tasks-bench-${startedAt.getTime()}`;
  await createTable(client, { tableName, pollIntervalMs: 100 });
  const counter = new RequestCounter(client);
  const backend = new DynamoDbBackend({ client, tableName });
  await warmUp(backend);
  return {
    tableName,
    client,
    counter,
    backend,
    raw: new RawTable(DynamoDBDocumentClient.from(client), tableName),
    close: async () => {
      try {
        await client.send(new DeleteTableCommand({ TableName: tableName }));
      } finally {
        client.destroy();
      }
    },
  };
}

/**
 * Sends a few thousand requests of every kind the parts time (create, get, conditional write,
 * listing), so that the first part does not measure DynamoDB Local's JVM still compiling.
 */
async function warmUp(backend: DynamoDbBackend): Promise<void> {
  const store = new GenericTaskStore({ backend, limits: { maxActiveTasksPerOwner: null } });
  const owner = 'warm-up';
  await runBounded(WARM_UP_TASKS, 4, async () => {
    const { taskId } = await store.create(owner);
    await store.get(owner, taskId);
    await store.setVariables(owner, taskId, { warm: true });
    await store.list(owner, { pageSize: 10 });
  });
}
