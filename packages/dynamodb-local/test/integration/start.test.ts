import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../src/index.js';
import { answersWithin, tableNames } from '../support/list-tables.js';

describe('startDynamoDbLocal', () => {
  let local: DynamoDbLocal;
  const log: string[] = [];

  beforeAll(async () => {
    local = await startDynamoDbLocal({ log: (line) => log.push(line) });
  });

  afterAll(async () => {
    await local?.stop();
  });

  it('gives an endpoint that answers ListTables through the AWS SDK, and says where it came from', async () => {
    expect(['env', 'container', 'jar']).toContain(local.source);
    expect(local.description).toContain(local.endpoint);
    expect(Array.isArray(await tableNames(local.endpoint))).toBe(true);
    if (local.source === 'jar') expect(local.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('uses DYNAMODB_ENDPOINT as it is, and leaves it running on stop', async () => {
    const reused = await startDynamoDbLocal({ env: { DYNAMODB_ENDPOINT: local.endpoint } });
    expect(reused).toMatchObject({ endpoint: local.endpoint, source: 'env' });
    await reused.stop();
    expect(Array.isArray(await tableNames(local.endpoint))).toBe(true);
  });

  it('stop() ends what it started: the endpoint no longer answers', async () => {
    await local.stop();
    expect(await answersWithin(local.endpoint, 300)).toBe(local.source === 'env');
  });
});
