import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { CapacityExceededError, NotFoundError } from '@tasks/core';
import { InvalidStorageKeyError } from '../src/index.js';
import {
  documentMock,
  isoAt,
  sdkError,
  makeBackend,
  NOW_SECONDS,
  rejectionOf,
  sentCommands,
} from './helpers.js';

const TABLE = 'tasks-test';
const KEY = 'alice:0001';
const ITEM_KEY = { PK: 'OWNER#alice', SK: 'TASK#0001' };

beforeEach(() => {
  documentMock.reset();
});

describe('get', () => {
  it('sends one consistent GetItem and returns data and version', async () => {
    documentMock.on(GetCommand).resolves({ Item: { ...ITEM_KEY, data: '{"a":1}', version: 4 } });
    const { backend } = makeBackend();
    expect(await backend.get(KEY)).toEqual({ data: '{"a":1}', version: 4 });
    expect(sentCommands()).toEqual([
      ['GetCommand', { TableName: TABLE, Key: ITEM_KEY, ConsistentRead: true }],
    ]);
  });

  it('is NotFoundError when there is no item', async () => {
    documentMock.on(GetCommand).resolves({});
    const { backend } = makeBackend();
    expect(await rejectionOf(backend.get(KEY))).toMatchObject({ name: 'NotFoundError', key: KEY });
  });

  it('is NotFoundError once expires_at has passed, though TTL has not deleted the item yet', async () => {
    const item = { ...ITEM_KEY, data: '{}', version: 1, expires_at: NOW_SECONDS + 1 };
    documentMock.on(GetCommand).resolves({ Item: item });
    const { backend, clock } = makeBackend();
    expect(await backend.get(KEY)).toEqual({ data: '{}', version: 1 });
    clock.advance(1000);
    expect(await rejectionOf(backend.get(KEY))).toBeInstanceOf(NotFoundError);
  });
});

describe('put', () => {
  it('sends one UpdateItem that sets data and a fresh write id, removes the expiry attributes and adds 1 to version', async () => {
    documentMock.on(UpdateCommand).resolves({ Attributes: { data: '{"a":1}', version: 7 } });
    const { backend } = makeBackend();
    expect(await backend.put(KEY, '{"a":1}')).toBe(7);
    expect(sentCommands()).toEqual([
      [
        'UpdateCommand',
        {
          TableName: TABLE,
          Key: ITEM_KEY,
          UpdateExpression:
            'SET #data = :data, #writeId = :writeId REMOVE #expiresAt, #expiresAtMs ADD #version :one',
          ConditionExpression: 'attribute_not_exists(#writeId) OR #writeId <> :writeId',
          ExpressionAttributeNames: {
            '#data': 'data',
            '#version': 'version',
            '#writeId': 'write_id',
            '#expiresAt': 'expires_at',
            '#expiresAtMs': 'expires_at_ms',
          },
          ExpressionAttributeValues: {
            ':data': '{"a":1}',
            ':one': 1,
            ':writeId': expect.stringMatching(/^[0-9a-f-]{36}$/),
          },
          ReturnValues: 'UPDATED_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      ],
    ]);
    await backend.put(KEY, '{"a":1}');
    const writeIds = (
      sentCommands() as Array<[string, { ExpressionAttributeValues: { ':writeId': string } }]>
    ).map(([, input]) => input.ExpressionAttributeValues[':writeId']);
    expect(new Set(writeIds).size).toBe(2);
  });

  it('answers a resent put that already landed with the version it made, adding nothing', async () => {
    documentMock.on(UpdateCommand).rejects(
      Object.assign(sdkError('ConditionalCheckFailedException', 'resent'), {
        Item: { data: { S: '{"a":1}' }, version: { N: '5' }, write_id: { S: 'ours' } },
      }),
    );
    const { backend } = makeBackend();
    expect(await backend.put(KEY, '{"a":1}')).toBe(5);
    expect(sentCommands()).toHaveLength(1);
  });

  it('sets expires_at_ms exactly and expires_at in seconds rounded up when the JSON has a top-level expiresAt', async () => {
    documentMock.on(UpdateCommand).resolves({ Attributes: { data: '{}', version: 1 } });
    const { backend } = makeBackend();
    const expiresAt = (NOW_SECONDS + 60) * 1000 + 250;
    const data = JSON.stringify({ expiresAt: new Date(expiresAt).toISOString() });
    expect(await backend.put(KEY, data)).toBe(1);
    const [[, input]] = sentCommands() as [[string, Record<string, unknown>]];
    expect(input.UpdateExpression).toBe(
      'SET #data = :data, #writeId = :writeId, #expiresAt = :expiresAt, #expiresAtMs = :expiresAtMs ADD #version :one',
    );
    expect(input.ExpressionAttributeValues).toEqual({
      ':data': data,
      ':one': 1,
      ':writeId': expect.any(String),
      ':expiresAt': NOW_SECONDS + 61,
      ':expiresAtMs': expiresAt,
    });
  });

  it('fails with CapacityExceededError before any request when the item would pass 400 KB', async () => {
    const { backend } = makeBackend();
    const data = JSON.stringify({ text: 'é'.repeat(205_000) });
    const error = await rejectionOf(backend.put(KEY, data));
    expect(error).toBeInstanceOf(CapacityExceededError);
    expect(error).toMatchObject({ key: KEY });
    expect(sentCommands()).toEqual([]);
  });
});

describe('putIfVersion', () => {
  it('sends one conditional PutItem that returns the old item on failure', async () => {
    documentMock.on(PutCommand).resolves({});
    const { backend } = makeBackend();
    expect(await backend.putIfVersion(KEY, '{"b":2}', 3)).toBe(4);
    expect(sentCommands()).toEqual([
      [
        'PutCommand',
        {
          TableName: TABLE,
          Item: { ...ITEM_KEY, data: '{"b":2}', version: 4 },
          ConditionExpression:
            'attribute_exists(#pk) AND #version = :expected AND (#expiresAtMs > :nowMs OR (attribute_not_exists(#expiresAtMs) AND (attribute_not_exists(#expiresAt) OR #expiresAt > :nowSeconds)))',
          ExpressionAttributeNames: {
            '#pk': 'PK',
            '#version': 'version',
            '#expiresAt': 'expires_at',
            '#expiresAtMs': 'expires_at_ms',
          },
          ExpressionAttributeValues: {
            ':expected': 3,
            ':nowMs': NOW_SECONDS * 1000,
            ':nowSeconds': NOW_SECONDS,
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      ],
    ]);
  });

  it('creates from version 0 with a condition that no live item exists', async () => {
    documentMock.on(PutCommand).resolves({});
    const { backend } = makeBackend();
    expect(await backend.putIfVersion(KEY, '{"c":1}', 0)).toBe(1);
    expect(sentCommands()).toEqual([
      [
        'PutCommand',
        {
          TableName: TABLE,
          Item: { ...ITEM_KEY, data: '{"c":1}', version: 1 },
          ConditionExpression:
            'attribute_not_exists(#pk) OR #expiresAtMs <= :nowMs OR (attribute_not_exists(#expiresAtMs) AND #expiresAt <= :nowSeconds)',
          ExpressionAttributeNames: {
            '#pk': 'PK',
            '#expiresAt': 'expires_at',
            '#expiresAtMs': 'expires_at_ms',
          },
          ExpressionAttributeValues: { ':nowMs': NOW_SECONDS * 1000, ':nowSeconds': NOW_SECONDS },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      ],
    ]);
  });

  it('writes the expiry attributes only when the JSON has expiresAt', async () => {
    documentMock.on(PutCommand).resolves({});
    const { backend } = makeBackend();
    const data = JSON.stringify({ expiresAt: isoAt(90) });
    await backend.putIfVersion(KEY, data, 1);
    const [[, input]] = sentCommands() as [[string, Record<string, unknown>]];
    expect(input.Item).toEqual({
      ...ITEM_KEY,
      data,
      version: 2,
      expires_at: NOW_SECONDS + 90,
      expires_at_ms: (NOW_SECONDS + 90) * 1000,
    });
  });

  it('fails with CapacityExceededError before any request when the item would pass 400 KB', async () => {
    const { backend } = makeBackend();
    const error = await rejectionOf(backend.putIfVersion(KEY, `"${'x'.repeat(409_600)}"`, 1));
    expect(error).toBeInstanceOf(CapacityExceededError);
    expect(sentCommands()).toEqual([]);
  });
});

describe('delete', () => {
  it('sends one DeleteItem returning the old item; true when a live item was deleted', async () => {
    documentMock
      .on(DeleteCommand)
      .resolves({ Attributes: { ...ITEM_KEY, data: '{}', version: 2 } });
    const { backend } = makeBackend();
    expect(await backend.delete(KEY)).toBe(true);
    expect(sentCommands()).toEqual([
      ['DeleteCommand', { TableName: TABLE, Key: ITEM_KEY, ReturnValues: 'ALL_OLD' }],
    ]);
  });

  it('is false when there was no item or only an expired one', async () => {
    const { backend } = makeBackend();
    documentMock
      .on(DeleteCommand)
      .resolvesOnce({})
      .resolvesOnce({
        Attributes: { ...ITEM_KEY, data: '{}', version: 2, expires_at: NOW_SECONDS },
      });
    expect(await backend.delete(KEY)).toBe(false);
    expect(await backend.delete(KEY)).toBe(false);
    expect(sentCommands()).toHaveLength(2);
  });
});

describe('listByPrefix', () => {
  const query = {
    TableName: TABLE,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': 'PK' },
    ExpressionAttributeValues: { ':pk': 'OWNER#a%3Ab' },
    ConsistentRead: true,
  };

  it('follows LastEvaluatedKey to the end, rebuilds keys exactly and leaves out expired items', async () => {
    const lastKey = { PK: 'OWNER#a%3Ab', SK: 'TASK#2' };
    documentMock
      .on(QueryCommand)
      .resolvesOnce({
        Items: [
          { PK: 'OWNER#a%3Ab', SK: 'TASK#1', data: '{"n":1}', version: 1 },
          { PK: 'OWNER#a%3Ab', SK: 'TASK#2', data: '{}', version: 5, expires_at: NOW_SECONDS },
        ],
        LastEvaluatedKey: lastKey,
      })
      .resolvesOnce({
        Items: [
          {
            PK: 'OWNER#a%3Ab',
            SK: 'TASK#3:x',
            data: '{"n":3}',
            version: 2,
            expires_at: NOW_SECONDS + 1,
          },
        ],
      });
    const { backend } = makeBackend();
    expect(await backend.listByPrefix('a%3Ab:')).toEqual([
      ['a%3Ab:1', { data: '{"n":1}', version: 1 }],
      ['a%3Ab:3:x', { data: '{"n":3}', version: 2 }],
    ]);
    expect(sentCommands()).toEqual([
      ['QueryCommand', query],
      ['QueryCommand', { ...query, ExclusiveStartKey: lastKey }],
    ]);
  });

  it('returns an empty list after one Query of an empty partition', async () => {
    documentMock.on(QueryCommand).resolves({ Items: [] });
    const { backend } = makeBackend();
    expect(await backend.listByPrefix('a%3Ab:')).toEqual([]);
    expect(sentCommands()).toEqual([['QueryCommand', query]]);
  });
});

describe('listPageByPrefix', () => {
  const query = {
    TableName: TABLE,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': 'PK' },
    ExpressionAttributeValues: { ':pk': 'OWNER#alice' },
    ConsistentRead: true,
    ScanIndexForward: false,
  };

  it('sends one descending Query from below beforeKey and returns the next beforeKey', async () => {
    documentMock.on(QueryCommand).resolves({
      Items: [
        { PK: 'OWNER#alice', SK: 'TASK#0008', data: '{}', version: 1 },
        { PK: 'OWNER#alice', SK: 'TASK#0007', data: '{}', version: 1, expires_at: NOW_SECONDS - 5 },
      ],
      LastEvaluatedKey: { PK: 'OWNER#alice', SK: 'TASK#0007' },
    });
    const { backend } = makeBackend();
    const page = await backend.listPageByPrefix('alice:', { limit: 2, beforeKey: 'alice:0009' });
    expect(page).toEqual({
      records: [['alice:0008', { data: '{}', version: 1 }]],
      expiredKeys: ['alice:0007'],
      nextBeforeKey: 'alice:0007',
    });
    expect(sentCommands()).toEqual([
      [
        'QueryCommand',
        { ...query, Limit: 2, ExclusiveStartKey: { PK: 'OWNER#alice', SK: 'TASK#0009' } },
      ],
    ]);
  });

  it('starts from the highest key without beforeKey and ends without LastEvaluatedKey', async () => {
    documentMock.on(QueryCommand).resolves({
      Items: [{ PK: 'OWNER#alice', SK: 'TASK#0001', data: '{}', version: 3 }],
    });
    const { backend } = makeBackend();
    expect(await backend.listPageByPrefix('alice:', { limit: 10 })).toEqual({
      records: [['alice:0001', { data: '{}', version: 3 }]],
    });
    expect(sentCommands()).toEqual([['QueryCommand', { ...query, Limit: 10 }]]);
  });

  it('treats a beforeKey outside the prefix by key order: above reads from the top, below reads nothing', async () => {
    documentMock.on(QueryCommand).resolves({ Items: [] });
    const { backend } = makeBackend();
    expect(await backend.listPageByPrefix('alice:', { limit: 5, beforeKey: 'bob:1' })).toEqual({
      records: [],
    });
    expect(await backend.listPageByPrefix('alice:', { limit: 5, beforeKey: 'aaron:1' })).toEqual({
      records: [],
    });
    expect(sentCommands()).toEqual([['QueryCommand', { ...query, Limit: 5 }]]);
  });

  it('rejects a limit that is not a positive integer before any request', async () => {
    const { backend } = makeBackend();
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      expect(await rejectionOf(backend.listPageByPrefix('alice:', { limit }))).toBeInstanceOf(
        RangeError,
      );
    }
    expect(sentCommands()).toEqual([]);
  });
});

describe('cleanupExpired and bad keys', () => {
  it('cleanupExpired returns 0 without a request: native TTL deletes expired items', async () => {
    const { backend } = makeBackend();
    expect(await backend.cleanupExpired()).toBe(0);
    expect(sentCommands()).toEqual([]);
  });

  it('rejects keys without a colon and prefixes not of the form {partition}: before any request', async () => {
    const { backend } = makeBackend();
    const attempts = [
      backend.get('no-separator'),
      backend.put('no-separator', '{}'),
      backend.putIfVersion('no-separator', '{}', 1),
      backend.delete('no-separator'),
      backend.listByPrefix('alice'),
      backend.listByPrefix('alice:00'),
      backend.listPageByPrefix('alice', { limit: 1 }),
    ];
    for (const attempt of attempts) {
      expect(await rejectionOf(attempt)).toBeInstanceOf(InvalidStorageKeyError);
    }
    expect(sentCommands()).toEqual([]);
  });
});
