import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDbClientConfig } from '@tasks/dynamodb-local';

/** A plain DynamoDB client and the DocumentClient on top of it. */
export interface DynamoDbClients {
  /** The plain client (AttributeValue form). */
  client: DynamoDBClient;
  /** The DocumentClient sharing the plain client's connection and configuration. */
  documentClient: DynamoDBDocumentClient;
}

/**
 * Clients for `endpoint` with the right region and credentials for it (dummy ones for DynamoDB
 * Local); `overrides` adds settings such as `maxAttempts` or a `requestHandler` with timeouts.
 */
export function createDynamoDbClients(
  endpoint: string,
  overrides: Partial<DynamoDBClientConfig> = {},
): DynamoDbClients {
  const client = new DynamoDBClient({ ...dynamoDbClientConfig(endpoint), ...overrides });
  return { client, documentClient: DynamoDBDocumentClient.from(client) };
}
