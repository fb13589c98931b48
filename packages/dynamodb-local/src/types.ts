/** Where a DynamoDB Local endpoint came from. */
export type DynamoDbLocalSource = 'env' | 'container' | 'jar';

/** A DynamoDB endpoint for one run, and how to release it. */
export interface DynamoDbLocal {
  /** The endpoint URL, for example `http://127.0.0.1:41234`. */
  readonly endpoint: string;
  /** Which provider supplied it. */
  readonly source: DynamoDbLocalSource;
  /** One line for logs, for example `jar 3.3.1 at http://127.0.0.1:41234`. */
  readonly description: string;
  /** Stops what this provider started (nothing for `env`) and deletes its data. Idempotent. */
  stop(): Promise<void>;
}

/**
 * A DynamoDB Local on a persisted database (`-sharedDb -dbPath`) that can be crashed and started
 * again on the same port and data, for fault tests.
 */
export interface RestartableDynamoDbLocal extends DynamoDbLocal {
  readonly source: 'container' | 'jar';
  /** Kills the server abruptly, as a crash would; the database on disk stays. */
  crash(): Promise<void>;
  /** Starts the server again on the same port and database and waits until it answers. */
  restart(): Promise<void>;
}

/** Receives one line per provider decision (which source was tried, why one was passed over). */
export type ProviderLog = (line: string) => void;
