import * as sdk from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from '@jest/globals';
import * as core from '@tasks/core';
import * as dynamodb from '@tasks/dynamodb';
import * as launcher from '../../src/index.js';
import { answersWithin } from '../support/list-tables.js';
import { runSnippet, tsBlocksOf } from '../support/readme.js';

type Callback = () => unknown;

/**
 * The hooks and tests a snippet registers through `@jest/globals`, collected instead of registered
 * (this code already runs inside a test), then run in jest's order: `beforeAll`s, the tests, then
 * the `afterAll`s, even when something before them failed.
 */
class CollectedTestFile {
  private readonly before: Callback[] = [];
  private readonly tests: Array<[string, Callback]> = [];
  private readonly after: Callback[] = [];

  /** What the snippet gets for `@jest/globals`. */
  globals() {
    return {
      beforeAll: (callback: Callback) => this.before.push(callback),
      afterAll: (callback: Callback) => this.after.push(callback),
      it: (name: string, callback: Callback) => this.tests.push([name, callback]),
      expect,
    };
  }

  /** Runs everything collected; returns the names of the tests, which all passed. */
  async run(): Promise<string[]> {
    try {
      for (const callback of this.before) await callback();
      for (const [, callback] of this.tests) await callback();
    } finally {
      for (const callback of this.after) await callback();
    }
    return this.tests.map(([name]) => name);
  }
}

describe('README: Test setup', () => {
  it('runs the snippet: DynamoDB Local, createTable, DynamoDbBackend, a task stored and read back, all stopped', async () => {
    const [snippet] = tsBlocksOf('## Test setup');
    const started: launcher.DynamoDbLocal[] = [];
    const file = new CollectedTestFile();
    runSnippet(snippet ?? '', {
      '@aws-sdk/client-dynamodb': sdk,
      '@jest/globals': file.globals(),
      '@tasks/core': core,
      '@tasks/dynamodb': dynamodb,
      '@tasks/dynamodb-local': {
        ...launcher,
        startDynamoDbLocal: async (options?: launcher.StartDynamoDbLocalOptions) => {
          const local = await launcher.startDynamoDbLocal(options);
          started.push(local);
          return local;
        },
      },
    });

    expect(await file.run()).toEqual(['keeps a task in DynamoDB Local']);
    expect(started).toHaveLength(1);
    const [local] = started as [launcher.DynamoDbLocal];
    expect(await answersWithin(local.endpoint, 300)).toBe(local.source === 'env');
  });
});
