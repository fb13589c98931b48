import { describe, expect, it } from '@jest/globals';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  assertDynamoDbClient,
  buildDynamoDbClient,
  documentClientOf,
  plainClientOf,
} from '../src/client.js';

describe('client shapes', () => {
  it('wraps a plain client in a DocumentClient sharing its configuration', () => {
    const plain = new DynamoDBClient({ region: 'us-east-1' });
    const wrapped = documentClientOf(plain);
    expect(wrapped).toBeInstanceOf(DynamoDBDocumentClient);
    expect(wrapped.config).toBe(plain.config);
  });

  it('keeps the marshalling options of a DocumentClient made earlier from the same plain client', () => {
    const plain = new DynamoDBClient({ region: 'us-east-1' });
    const users = DynamoDBDocumentClient.from(plain, {
      marshallOptions: { removeUndefinedValues: true },
    });
    documentClientOf(plain);
    expect(users.config.translateConfig).toEqual({
      marshallOptions: { removeUndefinedValues: true },
    });
  });

  it('uses a DocumentClient as it is, and either kind for plain commands', () => {
    const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
    expect(documentClientOf(documentClient)).toBe(documentClient);
    expect(plainClientOf(documentClient)).toBe(documentClient);
  });

  it('rejects values without the shape of an SDK v3 client', () => {
    for (const value of [
      null,
      undefined,
      {},
      { send: () => undefined },
      { send: 1, config: {}, middlewareStack: {} },
    ]) {
      expect(() => assertDynamoDbClient(value)).toThrow(TypeError);
    }
  });

  it('builds a plain client from region, endpoint, credentials and maxAttempts', async () => {
    const client = buildDynamoDbClient({
      region: 'eu-central-1',
      endpoint: 'http://127.0.0.1:8000',
      credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
      maxAttempts: 7,
    });
    expect(await client.config.region()).toBe('eu-central-1');
    expect(await client.config.maxAttempts()).toBe(7);
    expect(await client.config.credentials()).toMatchObject({ accessKeyId: 'id' });
    expect(client.config.endpoint).toBeDefined();
    expect(await client.config.endpoint?.()).toMatchObject({ hostname: '127.0.0.1', port: 8000 });
    client.destroy();
  });
});
