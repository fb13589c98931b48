import type { BackendError, Clock } from '@tasks/core/backend';
import type { DynamoDbClient, DynamoDbClientConfig } from './client.js';

/** Options every `DynamoDbBackend` takes, whichever way it gets its client. */
export interface DynamoDbBackendCommonOptions {
  /** The table (default `DEFAULT_TABLE_NAME`, `tasks`); create it with `createTable` or the CLI. */
  tableName?: string;
  /** The time source for expiry checks (default: system time). */
  clock?: Clock;
  /**
   * Told of an item a listing skipped because it is not a record of this layout (data not a
   * string, no numeric version, a foreign sort key), for example one written by hand. Default: a
   * process warning (`TASKS_DYNAMODB_MALFORMED_ITEM`). A `get` of such an item throws instead.
   */
  onMalformedItem?: (error: BackendError) => void;
}

/** Build the backend on a client you already have; the backend never destroys it. */
export interface DynamoDbBackendClientOptions extends DynamoDbBackendCommonOptions {
  /** A `DynamoDBDocumentClient`, or a plain `DynamoDBClient` that the backend wraps. */
  client: DynamoDbClient;
  /** Configure the client you pass instead. */
  region?: never;
  /** Configure the client you pass instead. */
  endpoint?: never;
  /** Configure the client you pass instead. */
  credentials?: never;
  /** Configure the client you pass instead. */
  maxAttempts?: never;
  /** Configure the client you pass instead. */
  requestTimeoutMs?: never;
}

/** Build the backend from configuration; the backend owns the client and `destroy()` releases it. */
export interface DynamoDbBackendConfigOptions
  extends DynamoDbBackendCommonOptions, DynamoDbClientConfig {
  /** Pass configuration or a client, not both. */
  client?: never;
}

/** The one constructor shape: either a ready client or the configuration to build one, never both. */
export type DynamoDbBackendOptions = DynamoDbBackendClientOptions | DynamoDbBackendConfigOptions;

/** The options that configure a client the backend builds; they cannot go with `client`. */
export const CONFIG_OPTION_NAMES = [
  'region',
  'endpoint',
  'credentials',
  'maxAttempts',
  'requestTimeoutMs',
] as const;
