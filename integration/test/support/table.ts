import { afterAll, beforeAll } from '@jest/globals';
import { type Clock, GenericTaskStore, type GenericTaskStoreOptions } from '@tasks/core';
import { DynamoDbBackend } from '@tasks/dynamodb';
import { createTestTable, type TestTable, type TestTableOptions } from '../../src/index.js';
import { runEndpoint } from './run-endpoint.js';

/**
 * Creates a table of its own for the test file before its tests (on the run's endpoint) and drops
 * it after them. Returns a getter for it.
 */
export function useTestTable(label: string, options: TestTableOptions = {}): () => TestTable {
  let table: TestTable | undefined;
  beforeAll(async () => {
    table = await createTestTable(runEndpoint(), { label, ...options });
  });
  afterAll(async () => {
    await table?.drop();
  });
  return () => {
    if (!table) throw new Error('The test table is created in beforeAll');
    return table;
  };
}

/** A `DynamoDbBackend` on `table`, reading time from `clock` (default: system time). */
export function backendOn(table: TestTable, clock?: Clock): DynamoDbBackend {
  return new DynamoDbBackend({
    client: table.documentClient,
    tableName: table.tableName,
    ...(clock === undefined ? {} : { clock }),
  });
}

/** A `GenericTaskStore` on a `DynamoDbBackend` on `table`; `options.clock` drives both. */
export function storeOn(
  table: TestTable,
  options: Omit<GenericTaskStoreOptions, 'backend'> = {},
): GenericTaskStore {
  return new GenericTaskStore({ ...options, backend: backendOn(table, options.clock) });
}
