import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, type TranslateConfig } from '@aws-sdk/lib-dynamodb';

/**
 * A client the user already has: a `DynamoDBDocumentClient`, or a plain `DynamoDBClient` that we
 * wrap. A client from another copy of the SDK is accepted too (its shape is checked, not its class).
 */
export type DynamoDbClient = DynamoDBClient | DynamoDBDocumentClient;

/** What it takes to build a client; anything left out comes from the SDK's defaults and environment. */
export interface DynamoDbClientConfig {
  /** AWS region (default: the SDK's region chain, for example `AWS_REGION`). */
  region?: string;
  /** Endpoint URL, for example `http://127.0.0.1:8000` for DynamoDB Local (default: the region's). */
  endpoint?: string;
  /** Credentials or a credential provider (default: the SDK's default credential chain). */
  credentials?: DynamoDBClientConfig['credentials'];
  /** Attempts per request, the first included, before an error surfaces (DynamoDB client default: 4). */
  maxAttempts?: number;
  /**
   * Time limit of one attempt (and of connecting), in ms: an attempt that takes longer fails and
   * is retried instead of hanging. Default: none, as in the SDK, where a hung endpoint hangs a call.
   */
  requestTimeoutMs?: number;
}

/** Throws a `TypeError` unless `client` has the shape of an SDK v3 DynamoDB client. */
export function assertDynamoDbClient(client: unknown): asserts client is DynamoDbClient {
  const candidate = client as Partial<Record<'send' | 'config' | 'middlewareStack', unknown>>;
  const shaped =
    typeof client === 'object' &&
    client !== null &&
    typeof candidate.send === 'function' &&
    typeof candidate.config === 'object' &&
    candidate.config !== null &&
    typeof candidate.middlewareStack === 'object' &&
    candidate.middlewareStack !== null;
  if (!shaped) {
    throw new TypeError(
      'client must be a DynamoDBClient or DynamoDBDocumentClient from the AWS SDK for JavaScript v3',
    );
  }
}

/**
 * The DocumentClient for `client`. A DocumentClient (recognised by the static `from` of its class,
 * whatever copy of the SDK it comes from) is used as it is. A plain client is wrapped with the
 * marshalling options its configuration already holds, since `DynamoDBDocumentClient.from` writes
 * them into the configuration it shares with the plain client and would otherwise reset them.
 */
export function documentClientOf(client: DynamoDbClient): DynamoDBDocumentClient {
  assertDynamoDbClient(client);
  const type = client.constructor as { from?: unknown } | undefined;
  if (typeof type?.from === 'function') return client as DynamoDBDocumentClient;
  const { translateConfig } = client.config as { translateConfig?: TranslateConfig };
  return DynamoDBDocumentClient.from(client as DynamoDBClient, translateConfig);
}

/**
 * `client` typed for the plain (non-document) commands the table tooling sends. A DocumentClient
 * shares the plain client's configuration and middleware stack, so those commands go through
 * either kind unchanged.
 */
export function plainClientOf(client: DynamoDbClient): DynamoDBClient {
  assertDynamoDbClient(client);
  return client as DynamoDBClient;
}

/** A new plain client from `config`, credentials from the default chain unless given. */
export function buildDynamoDbClient(config: DynamoDbClientConfig): DynamoDBClient {
  return new DynamoDBClient({
    ...(config.region === undefined ? {} : { region: config.region }),
    ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
    ...(config.credentials === undefined ? {} : { credentials: config.credentials }),
    ...(config.maxAttempts === undefined ? {} : { maxAttempts: config.maxAttempts }),
    ...(config.requestTimeoutMs === undefined
      ? {}
      : {
          requestHandler: {
            connectionTimeout: config.requestTimeoutMs,
            requestTimeout: config.requestTimeoutMs,
            throwOnRequestTimeout: true,
          },
        }),
  });
}
