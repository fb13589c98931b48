import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  dynamoDbClientConfig,
  type RestartableDynamoDbLocal,
  startRestartableDynamoDbLocal,
} from '../../src/index.js';
import { answersWithin, tableNames } from '../support/list-tables.js';

describe('startRestartableDynamoDbLocal', () => {
  let local: RestartableDynamoDbLocal;

  beforeAll(async () => {
    local = await startRestartableDynamoDbLocal();
  });

  afterAll(async () => {
    await local?.stop();
  });

  it('crashes and restarts on the same endpoint and data, and stops for good', async () => {
    expect(['container', 'jar']).toContain(local.source);
    const client = new DynamoDBClient(dynamoDbClientConfig(local.endpoint));
    try {
      await client.send(
        new CreateTableCommand({
          TableName: 'survives-a-crash',
          AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
    } finally {
      client.destroy();
    }

    await local.crash();
    expect(await answersWithin(local.endpoint, 300)).toBe(false);
    await local.restart();
    expect(await tableNames(local.endpoint)).toContain('survives-a-crash');

    await local.stop();
    expect(await answersWithin(local.endpoint, 300)).toBe(false);
  });
});
