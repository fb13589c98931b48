import { randomBytes } from 'node:crypto';
import {
  type DynamoDBClient,
  type DynamoDBClientConfig,
  DeleteTableCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTable } from '@tasks/dynamodb';
import { createDynamoDbClients } from './clients.js';

/** A table of its own for one test file, with the clients that reach it. */
export interface TestTable {
  /** The plain client. */
  client: DynamoDBClient;
  /** The DocumentClient, for raw reads and writes in tests. */
  documentClient: DynamoDBDocumentClient;
  /** The random table name. */
  tableName: string;
  /** Deletes the table and releases the clients. */
  drop(): Promise<void>;
}

/** Options of `createTestTable`. */
export interface TestTableOptions {
  /** A word for the table name, so a leftover table says which test made it (default `test`). */
  label?: string;
  /** Extra client settings, for example `maxAttempts` or request timeouts. */
  clientConfig?: Partial<DynamoDBClientConfig>;
}

/**
 * Creates a randomly named table (`tasks-it-<label>-<12 hex>`) with `createTable` from
 * `@tasks/dynamodb`, the layout `DynamoDbBackend` needs, and waits until it is ACTIVE.
 */
export async function createTestTable(
  endpoint: string,
  options: TestTableOptions = {},
): Promise<TestTable> {
  const tableName = `tasks-it-${options.label ?? 'test'}-${randomBytes(6).toString('hex')}`;
  const { client, documentClient } = createDynamoDbClients(endpoint, options.clientConfig);
  try {
    const result = await createTable(client, { tableName, pollIntervalMs: 200, maxPolls: 600 });
    if (!result.ok)
      throw new Error(`Table ${tableName} is not usable: ${result.problems.join('; ')}`);
  } catch (error) {
    client.destroy();
    throw error;
  }
  return {
    client,
    documentClient,
    tableName,
    drop: async () => {
      try {
        await client.send(new DeleteTableCommand({ TableName: tableName }));
      } finally {
        client.destroy();
      }
    },
  };
}
