import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { dynamoDbClientConfig, waitUntilAnswering } from '../../src/index.js';

/** The table names at `endpoint`, through an AWS SDK client configured by `dynamoDbClientConfig`. */
export async function tableNames(endpoint: string): Promise<string[]> {
  const client = new DynamoDBClient(dynamoDbClientConfig(endpoint));
  try {
    return (await client.send(new ListTablesCommand({}))).TableNames ?? [];
  } finally {
    client.destroy();
  }
}

/** Whether `endpoint` answers within `ms`. */
export function answersWithin(endpoint: string, ms: number): Promise<boolean> {
  return waitUntilAnswering(endpoint, { timeoutMs: ms, intervalMs: 50 }).then(
    () => true,
    () => false,
  );
}
