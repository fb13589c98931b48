import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  ConditionalCheckFailedException,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  BackendError,
  CapacityExceededError,
  NotFoundError,
  VersionConflictError,
} from '@tasks/core';
import type { DynamoDbBackend } from '../src/index.js';
import {
  documentMock,
  makeBackend,
  NOW_SECONDS,
  rejectionOf,
  sdkError,
  sentCommands,
} from './helpers.js';

const KEY = 'alice:0001';
const ITEM_KEY = { PK: 'OWNER#alice', SK: 'TASK#0001' };

beforeEach(() => {
  documentMock.reset();
});

function conditionFailure(item?: ConditionalCheckFailedException['Item']): Error {
  return new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: { httpStatusCode: 400 },
    ...(item === undefined ? {} : { Item: item }),
  });
}

describe('putIfVersion condition failure, old item returned', () => {
  it('is VersionConflictError with the real version, unmarshalled from the old item, after one request', async () => {
    documentMock.on(PutCommand).rejects(
      conditionFailure({
        PK: { S: ITEM_KEY.PK },
        SK: { S: ITEM_KEY.SK },
        data: { S: '{}' },
        version: { N: '7' },
      }),
    );
    const { backend } = makeBackend();
    const error = await rejectionOf(backend.putIfVersion(KEY, '{}', 5));
    expect(error).toBeInstanceOf(VersionConflictError);
    expect(error).toMatchObject({ key: KEY, expected: 5, actual: 7 });
    expect(sentCommands().map(([name]) => name)).toEqual(['PutCommand']);
  });

  it('is NotFoundError when the old item had expired', async () => {
    documentMock.on(PutCommand).rejects(
      conditionFailure({
        data: { S: '{}' },
        version: { N: '5' },
        expires_at: { N: String(NOW_SECONDS) },
      }),
    );
    const { backend } = makeBackend();
    const error = await rejectionOf(backend.putIfVersion(KEY, '{}', 5));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(sentCommands()).toHaveLength(1);
  });

  it('is VersionConflictError with the existing version when a create (version 0) finds an item', async () => {
    documentMock
      .on(PutCommand)
      .rejects(conditionFailure({ data: { S: '{}' }, version: { N: '3' } }));
    const { backend } = makeBackend();
    const error = await rejectionOf(backend.putIfVersion(KEY, '{}', 0));
    expect(error).toBeInstanceOf(VersionConflictError);
    expect(error).toMatchObject({ key: KEY, expected: 0, actual: 3 });
    expect(sentCommands()).toHaveLength(1);
  });

  it('detects the failure by name, so an error from another copy of the SDK maps too', async () => {
    documentMock.on(PutCommand).rejects(
      Object.assign(sdkError('ConditionalCheckFailedException', 'failed'), {
        Item: { data: { S: '{}' }, version: { N: '2' } },
      }),
    );
    const { backend } = makeBackend();
    expect(await rejectionOf(backend.putIfVersion(KEY, '{"n":1}', 1))).toMatchObject({
      name: 'VersionConflictError',
      actual: 2,
    });
  });
});

describe('putIfVersion condition failure, no old item returned', () => {
  it('falls back to one consistent read: VersionConflictError with the version read', async () => {
    documentMock.on(PutCommand).rejects(conditionFailure());
    documentMock.on(GetCommand).resolves({ Item: { ...ITEM_KEY, data: '{}', version: 9 } });
    const { backend } = makeBackend();
    expect(await rejectionOf(backend.putIfVersion(KEY, '{}', 4))).toMatchObject({
      name: 'VersionConflictError',
      expected: 4,
      actual: 9,
    });
    expect(sentCommands()).toEqual([
      ['PutCommand', expect.anything()],
      ['GetCommand', { TableName: 'tasks-test', Key: ITEM_KEY, ConsistentRead: true }],
    ]);
  });

  it('is NotFoundError when the read finds no item or an expired one', async () => {
    documentMock.on(PutCommand).rejects(conditionFailure());
    documentMock
      .on(GetCommand)
      .resolvesOnce({})
      .resolvesOnce({ Item: { ...ITEM_KEY, data: '{}', version: 4, expires_at: NOW_SECONDS - 1 } });
    const { backend } = makeBackend();
    expect(await rejectionOf(backend.putIfVersion(KEY, '{}', 4))).toBeInstanceOf(NotFoundError);
    expect(await rejectionOf(backend.putIfVersion(KEY, '{}', 4))).toBeInstanceOf(NotFoundError);
  });

  it('is BackendError when the fallback read itself fails', async () => {
    const network = sdkError('TimeoutError', 'socket hang up');
    documentMock.on(PutCommand).rejects(conditionFailure());
    documentMock.on(GetCommand).rejects(network);
    const { backend } = makeBackend();
    const error = await rejectionOf(backend.putIfVersion(KEY, '{}', 4));
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ operation: 'putIfVersion', key: KEY, cause: network });
  });
});

describe('item size errors from DynamoDB', () => {
  it('maps a size ValidationException to CapacityExceededError for put and putIfVersion', async () => {
    const tooLarge = sdkError(
      'ValidationException',
      'Item size has exceeded the maximum allowed size',
    );
    documentMock.on(UpdateCommand).rejects(tooLarge);
    documentMock.on(PutCommand).rejects(tooLarge);
    const { backend } = makeBackend();
    for (const attempt of [backend.put(KEY, '{}'), backend.putIfVersion(KEY, '{}', 1)]) {
      const error = await rejectionOf(attempt);
      expect(error).toBeInstanceOf(CapacityExceededError);
      expect(error).toMatchObject({ key: KEY, cause: tooLarge });
    }
  });

  it('keeps any other ValidationException a BackendError', async () => {
    const invalid = sdkError('ValidationException', 'One or more parameter values were invalid');
    documentMock.on(UpdateCommand).rejects(invalid);
    const { backend } = makeBackend();
    const error = await rejectionOf(backend.put(KEY, '{}'));
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ operation: 'put', key: KEY, cause: invalid });
  });
});

describe('throttling and network failures', () => {
  const metadata = { $metadata: { httpStatusCode: 400 } };
  const failures: Array<[string, Error]> = [
    [
      'ProvisionedThroughputExceededException',
      new ProvisionedThroughputExceededException({ message: 'Rate exceeded', ...metadata }),
    ],
    ['ThrottlingException', new ThrottlingException({ message: 'Throttled', ...metadata })],
    ['RequestLimitExceeded', new RequestLimitExceeded({ message: 'Limit', ...metadata })],
    [
      'a network failure',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' }),
    ],
  ];
  const operations: Array<[string, (backend: DynamoDbBackend) => Promise<unknown>]> = [
    ['get', (backend) => backend.get(KEY)],
    ['put', (backend) => backend.put(KEY, '{}')],
    ['putIfVersion', (backend) => backend.putIfVersion(KEY, '{}', 1)],
    ['delete', (backend) => backend.delete(KEY)],
    ['listByPrefix', (backend) => backend.listByPrefix('alice:')],
    ['listPageByPrefix', (backend) => backend.listPageByPrefix('alice:', { limit: 5 })],
  ];

  it.each(failures)(
    'turns %s into BackendError with operation, key and cause',
    async (_, failure) => {
      documentMock.rejects(failure);
      const { backend } = makeBackend();
      for (const [operation, run] of operations) {
        const error = await rejectionOf(run(backend));
        expect(error).toBeInstanceOf(BackendError);
        expect(error).toMatchObject({
          name: 'BackendError',
          operation,
          key: operation.startsWith('list') ? 'alice:' : KEY,
          cause: failure,
        });
      }
      expect(sentCommands()).toHaveLength(operations.length);
    },
  );
});

describe('malformed items', () => {
  it('is BackendError naming the key when a get finds an item without data or version', async () => {
    documentMock.on(GetCommand).resolves({ Item: { ...ITEM_KEY, version: 1 } });
    const { backend } = makeBackend();
    const error = await rejectionOf(backend.get(KEY));
    expect(error).toMatchObject({ name: 'BackendError', operation: 'get', key: KEY });
  });

  it('skips and reports malformed items in listings, returning the others', async () => {
    const good = { PK: 'OWNER#alice', SK: 'TASK#0003', data: '{}', version: 2 };
    const items = [
      { PK: 'OWNER#alice', SK: 'TASK#0001', data: 42, version: 1 },
      { PK: 'OWNER#alice', SK: 'TASK#0002', data: '{}' },
      { PK: 'elsewhere', SK: 'TASK#1', data: '{}', version: 1 },
      good,
    ];
    documentMock.on(QueryCommand).resolves({ Items: items });
    const reported: BackendError[] = [];
    const { backend } = makeBackend({ onMalformedItem: (error) => reported.push(error) });
    const expected = [['alice:0003', { data: '{}', version: 2 }]];
    expect(await backend.listByPrefix('alice:')).toEqual(expected);
    expect(await backend.listPageByPrefix('alice:', { limit: 10 })).toEqual({ records: expected });
    expect(reported.map((error) => [error.name, error.key])).toEqual([
      ['BackendError', 'alice:0001'],
      ['BackendError', 'alice:0002'],
      ['BackendError', 'alice:'],
      ['BackendError', 'alice:0001'],
      ['BackendError', 'alice:0002'],
      ['BackendError', 'alice:'],
    ]);
  });
});
