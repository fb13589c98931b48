import { describe, expect, it } from '@jest/globals';
import {
  GenericTaskStore,
  InvalidTransitionError,
  recordKey,
  type TaskSnapshot,
  TaskResultUnavailableError,
} from '@tasks/core';
import { ContractOnlyBackend } from '@tasks/core/testing';
import { readRawItem } from './support/raw-items.js';
import { backendOn, storeOn, useTestTable } from './support/table.js';

const PARALLEL_MERGES = 60;
/** Store instances sharing the table, as server instances would: each merges in its own process. */
const INSTANCES = 6;

/** Counts the conditional writes that landed per key, so a stored version can be checked against them. */
class SuccessfulWriteCounter extends ContractOnlyBackend {
  private readonly landedAt = new Map<string, number>();

  /** Conditional writes that landed on the task `taskId` of `owner`. */
  landed(owner: string, taskId: string): number {
    return this.landedAt.get(recordKey(owner, taskId)) ?? 0;
  }

  override async putIfVersion(key: string, data: string, expectedVersion: number): Promise<number> {
    const version = await super.putIfVersion(key, data, expectedVersion);
    this.landedAt.set(key, (this.landedAt.get(key) ?? 0) + 1);
    return version;
  }
}
const COMPLETE_CANCEL_RACES = 25;
const PARALLEL_PUTS = 100;

describe('concurrency on DynamoDB (loopback, bounded)', () => {
  const table = useTestTable('concurrency');

  it(`merges ${PARALLEL_MERGES} parallel variable writes on one task from ${INSTANCES} instances: every key is there`, async () => {
    const writes = new SuccessfulWriteCounter(backendOn(table()));
    const instances = Array.from(
      { length: INSTANCES },
      () => new GenericTaskStore({ backend: writes }),
    );
    const owner = 'merging-owner';
    const { taskId } = await (instances[0] as GenericTaskStore).create(owner, {
      variables: { initial: true },
    });
    await Promise.all(
      Array.from({ length: PARALLEL_MERGES }, (_, writer) =>
        (instances[writer % INSTANCES] as GenericTaskStore).setVariables(owner, taskId, {
          [`writer${writer}`]: writer,
        }),
      ),
    );
    const expected = Object.fromEntries(
      Array.from({ length: PARALLEL_MERGES }, (_, writer) => [`writer${writer}`, writer]),
    );
    expect((await storeOn(table()).get(owner, taskId)).variables).toEqual({
      initial: true,
      ...expected,
    });
    expect((await readRawItem(table(), owner, taskId))?.version).toBe(writes.landed(owner, taskId));
  });

  it(`races complete against cancel ${COMPLETE_CANCEL_RACES} times: each task ends in exactly one terminal state`, async () => {
    const store = storeOn(table());
    const owner = 'racing-owner';
    const tasks: TaskSnapshot[] = [];
    for (let race = 0; race < COMPLETE_CANCEL_RACES; race += 1)
      tasks.push(await store.create(owner));

    const races = await Promise.all(
      tasks.map(async ({ taskId }, race) => {
        const [completed, cancelled] = await Promise.allSettled([
          store.storeResult(owner, taskId, 'completed', { race }),
          store.cancel(owner, taskId),
        ]);
        return { taskId, race, completed, cancelled };
      }),
    );

    for (const { taskId, race, completed, cancelled } of races) {
      const outcomes = [completed, cancelled];
      const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const losers = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      expect(losers[0]?.status === 'rejected' && losers[0].reason).toBeInstanceOf(
        InvalidTransitionError,
      );
      const final = await store.get(owner, taskId);
      expect((await readRawItem(table(), owner, taskId))?.version).toBe(2);
      if (completed.status === 'fulfilled') {
        expect(final).toEqual(completed.value);
        expect(final.status).toBe('completed');
        expect(await store.getResult(owner, taskId)).toEqual({ race });
      } else {
        expect(cancelled.status === 'fulfilled' && cancelled.value).toEqual(final);
        expect(final.status).toBe('cancelled');
        await expect(store.getResult(owner, taskId)).rejects.toBeInstanceOf(
          TaskResultUnavailableError,
        );
      }
    }
  });

  it(`gives ${PARALLEL_PUTS} parallel puts on one key distinct versions, the last being ${PARALLEL_PUTS}`, async () => {
    const backend = backendOn(table());
    const key = 'parallel-puts:record';
    const versions = await Promise.all(
      Array.from({ length: PARALLEL_PUTS }, (_, writer) =>
        backend.put(key, JSON.stringify({ writer })),
      ),
    );
    expect(new Set(versions).size).toBe(PARALLEL_PUTS);
    expect([...versions].sort((a, b) => a - b)).toEqual(
      Array.from({ length: PARALLEL_PUTS }, (_, index) => index + 1),
    );
    const final = await backend.get(key);
    expect(final.version).toBe(PARALLEL_PUTS);
    const lastWriter = versions.indexOf(PARALLEL_PUTS);
    expect(JSON.parse(final.data)).toEqual({ writer: lastWriter });
  });
});
