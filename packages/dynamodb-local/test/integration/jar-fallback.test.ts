import { describe, expect, it, jest } from '@jest/globals';
import { probeJava, startDynamoDbLocal } from '../../src/index.js';
import { tableNames } from '../support/list-tables.js';

// testcontainers is an optional peer dependency: here it fails to load as an uninstalled package does.
jest.mock('testcontainers', () => {
  throw Object.assign(new Error("Cannot find module 'testcontainers' from 'src/container.ts'"), {
    code: 'MODULE_NOT_FOUND',
  });
});

describe('without testcontainers installed', () => {
  it('startDynamoDbLocal falls back to the jar on Java 17+ (or says it found no Java)', async () => {
    const log: string[] = [];
    const env = { JAVA_HOME: process.env.JAVA_HOME };
    const started = startDynamoDbLocal({ env, log: (line) => log.push(line) });
    if (!probeJava().ok) {
      await expect(started).rejects.toThrow('jar: no usable Java');
      return;
    }
    const local = await started;
    try {
      expect(log).toEqual([
        expect.stringContaining('no container runtime (testcontainers is not installed'),
      ]);
      expect(local.source).toBe('jar');
      expect(Array.isArray(await tableNames(local.endpoint))).toBe(true);
    } finally {
      await local.stop();
    }
  });
});
