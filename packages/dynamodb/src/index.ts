/**
 * The DynamoDB backend for `@tasks/core`: `DynamoDbBackend` on one table, and the table tooling
 * `createTable` and `checkTable`.
 *
 * @module @tasks/dynamodb
 */
export type {
  DynamoDbBackendClientOptions,
  DynamoDbBackendCommonOptions,
  DynamoDbBackendConfigOptions,
  DynamoDbBackendOptions,
} from './backend-options.js';
export { DynamoDbBackend } from './backend.js';
export type { DynamoDbClient, DynamoDbClientConfig } from './client.js';
export { EXPIRES_AT_ATTRIBUTE, MAX_ITEM_BYTES } from './item.js';
export { InvalidStorageKeyError } from './keys.js';
export type { TableCheck } from './table-check.js';
export { checkTable } from './table-check.js';
export type { BillingMode, CreateTableOptions, CreateTableResult } from './table-create.js';
export { createTable } from './table-create.js';
export { DEFAULT_TABLE_NAME } from './table-name.js';
export { UnusableTableError } from './unusable-table-error.js';
