import { setTimeout as delay } from 'node:timers/promises';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { dynamoDbClientConfig } from './client-config.js';
import { DynamoDbLocalUnavailableError } from './errors.js';

/** How `waitUntilAnswering` polls. */
export interface ReadinessOptions {
  /** Total time to wait before giving up, in milliseconds (default 60,000). */
  timeoutMs?: number;
  /** Time one ListTables request may take, in milliseconds (default 2,000). */
  requestTimeoutMs?: number;
  /** Pause between two attempts, in milliseconds (default 150). */
  intervalMs?: number;
  /** Says why waiting is pointless (the server process exited...), or `undefined` to go on. */
  abortReason?: () => string | undefined;
}

/**
 * Resolves once `endpoint` answers a `ListTables` request (a 4xx answer such as access denied
 * counts: the service is up); each attempt has a short timeout and the whole wait is bounded. Throws `DynamoDbLocalUnavailableError` with the last failure when the
 * bound passes or `abortReason` reports one.
 */
export async function waitUntilAnswering(
  endpoint: string,
  options: ReadinessOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 2_000;
  const intervalMs = options.intervalMs ?? 150;
  const client = new DynamoDBClient({
    ...dynamoDbClientConfig(endpoint),
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: requestTimeoutMs,
      requestTimeout: requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  });
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  try {
    for (;;) {
      const aborted = options.abortReason?.();
      if (aborted !== undefined) {
        throw new DynamoDbLocalUnavailableError(`${endpoint} will not answer: ${aborted}`);
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (isClientErrorResponse(error)) return;
        lastError = error;
      }
      if (Date.now() >= deadline) {
        throw new DynamoDbLocalUnavailableError(
          `${endpoint} did not answer ListTables within ${timeoutMs} ms: ${describe(lastError)}`,
          { cause: lastError },
        );
      }
      await delay(intervalMs);
    }
  } finally {
    client.destroy();
  }
}

/** A 4xx answer (access denied, bad credentials...) still proves the endpoint is up and speaking DynamoDB. */
function isClientErrorResponse(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata
    ?.httpStatusCode;
  return status !== undefined && status >= 400 && status < 500;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
