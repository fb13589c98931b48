import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_TABLE_NAME, DynamoDbBackend, type DynamoDbBackendOptions } from '../src/index.js';
import { documentMock, sentCommands } from './helpers.js';

const ITEM = { PK: 'OWNER#o', SK: 'TASK#t', data: '{}', version: 1 };

beforeEach(() => {
  documentMock.reset();
  documentMock.on(GetCommand).resolves({ Item: ITEM });
});

describe('DynamoDbBackend construction', () => {
  it(`uses the table '${DEFAULT_TABLE_NAME}' unless given another`, async () => {
    expect(DEFAULT_TABLE_NAME).toBe('tasks');
    const client = new DynamoDBClient({ region: 'us-east-1' });
    const byDefault = new DynamoDbBackend({ client });
    const named = new DynamoDbBackend({ client, tableName: 'my-tasks' });
    expect(byDefault.tableName).toBe('tasks');
    await byDefault.get('o:t');
    await named.get('o:t');
    expect(sentCommands().map(([, input]) => (input as { TableName: string }).TableName)).toEqual([
      'tasks',
      'my-tasks',
    ]);
  });

  it('uses a DocumentClient as given, keeping its marshalling options', async () => {
    const documentClient = DynamoDBDocumentClient.from(
      new DynamoDBClient({ region: 'us-east-1' }),
      {
        unmarshallOptions: { wrapNumbers: true },
      },
    );
    const backend = new DynamoDbBackend({ client: documentClient });
    expect(await backend.get('o:t')).toEqual({ data: '{}', version: 1 });
    expect(documentMock.call(0).thisValue).toBe(documentClient);
    expect(documentClient.config.translateConfig?.unmarshallOptions?.wrapNumbers).toBe(true);
  });

  it('accepts a client from another copy of the SDK by its shape', async () => {
    const send = jest.fn(async () => ({ Item: ITEM }));
    class ForeignDocumentClient {
      readonly config = {};
      readonly middlewareStack = {};
      readonly send = send;
      static from(): never {
        throw new Error('not called');
      }
    }
    const backend = new DynamoDbBackend({
      client: new ForeignDocumentClient() as unknown as DynamoDBDocumentClient,
    });
    expect(await backend.get('o:t')).toEqual({ data: '{}', version: 1 });
    expect(send).toHaveBeenCalledTimes(1);
    expect(send.mock.calls[0]).toEqual([expect.any(GetCommand)]);
  });

  it('builds its own client from configuration and releases it on destroy', async () => {
    const backend = new DynamoDbBackend({
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:8000',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 5,
    });
    expect(await backend.get('o:t')).toEqual({ data: '{}', version: 1 });
    const documentClient = documentMock.call(0).thisValue as DynamoDBDocumentClient;
    expect(await documentClient.config.region()).toBe('eu-west-1');
    expect(await documentClient.config.maxAttempts()).toBe(5);
    const destroy = jest.spyOn(DynamoDBClient.prototype, 'destroy');
    backend.destroy();
    expect(destroy).toHaveBeenCalledTimes(1);
    destroy.mockRestore();
  });

  it('never destroys a client it was given', () => {
    const client = new DynamoDBClient({ region: 'us-east-1' });
    const destroy = jest.spyOn(client, 'destroy');
    new DynamoDbBackend({ client }).destroy();
    expect(destroy).not.toHaveBeenCalled();
  });

  it('rejects a client together with client configuration', () => {
    const client = new DynamoDBClient({ region: 'us-east-1' });
    const mixed = { client, region: 'eu-west-1' } as unknown as DynamoDbBackendOptions;
    expect(() => new DynamoDbBackend(mixed)).toThrow(
      'DynamoDbBackend takes either a client or client configuration, not both (got client and region)',
    );
  });

  it('rejects something that is not a DynamoDB client, and an invalid table name', () => {
    const notAClient = { client: { send: 'nope' } } as unknown as DynamoDbBackendOptions;
    expect(() => new DynamoDbBackend(notAClient)).toThrow(TypeError);
    const client = new DynamoDBClient({ region: 'us-east-1' });
    for (const tableName of ['', 'ab', 'has space', 'x'.repeat(256)]) {
      expect(() => new DynamoDbBackend({ client, tableName })).toThrow(TypeError);
    }
  });
});
