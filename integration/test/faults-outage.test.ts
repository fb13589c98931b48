import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  BackendError,
  GenericTaskStore,
  type JsonObject,
  newTaskId,
  ownerPrefix,
  type TaskSnapshot,
  TaskStorageError,
} from '@tasks/core';
import { DynamoDbBackend } from '@tasks/dynamodb';
import {
  type RestartableDynamoDbLocal,
  startRestartableDynamoDbLocal,
} from '@tasks/dynamodb-local';
import { createDynamoDbClients, createTestTable, type TestTable } from '../src/index.js';
import { startBlackhole } from './support/blackhole.js';
import { backendCalls, type NamedCall, storeCalls } from './support/fault-calls.js';
import { queryRawPartition } from './support/raw-items.js';
import { storeOn } from './support/table.js';
import { timed, type TimedOutcome } from './support/timed.js';

/** Client settings that give up quickly: two attempts, each bounded by `timeoutMs`. */
function failFast(timeoutMs: number): Partial<DynamoDBClientConfig> {
  return {
    maxAttempts: 2,
    requestHandler: {
      connectionTimeout: timeoutMs,
      requestTimeout: timeoutMs,
      throwOnRequestTimeout: true,
    },
  };
}

/**
 * The backend writes whose outcome a hung endpoint leaves unknown: the request was sent and never
 * answered, so it may have been applied. (`delete` is a BackendError: deleting twice is harmless.)
 */
const WRITES = new Set(['put', 'putIfVersion']);

/** A refused connection fails at once; two attempts and the SDK's backoff stay far below this. */
const DOWN_BOUND_MS = 3_000;
/** Two attempts of at most 1 s each against a hung endpoint, plus the SDK's backoff between them. */
const HUNG_BOUND_MS = 4_000;

/** Parallel chains of sequential writes, cut by the crash. */
const CHAINS = 8;
const STEPS_PER_CHAIN = 10;
/** Writes acknowledged before the crash is triggered, so the run is well under way. */
const ACKNOWLEDGED_BEFORE_CRASH = 12;

/** The variables step `step` of a chain merges in: a marker and 10 KB of payload. */
function stepPatch(step: number): JsonObject {
  return { step, [`payload${step}`]: String(step % 10).repeat(10_000) };
}

/** The variables a chain's task holds after its first `steps` steps. */
function variablesAfter(initial: JsonObject, steps: number): JsonObject {
  let variables = { ...initial };
  for (let step = 0; step < steps; step += 1) variables = { ...variables, ...stepPatch(step) };
  return variables;
}

/** Which error class each call failed with and whether it failed within `boundMs`. */
function failureSummary(outcomes: Array<{ name: string; outcome: TimedOutcome }>, boundMs: number) {
  return outcomes.map(({ name, outcome }) => ({
    name,
    error: outcome.failed ? (outcome.error as Error).name : 'none: the call succeeded',
    withinBound: outcome.elapsedMs < boundMs,
  }));
}

/** Runs the calls one after the other, so each time is the call's own. */
async function runEach(calls: NamedCall[]) {
  const outcomes: Array<{ name: string; outcome: TimedOutcome }> = [];
  for (const { name, call } of calls) outcomes.push({ name, outcome: await timed(call) });
  return outcomes;
}

describe('faults: the endpoint goes away', () => {
  let local: RestartableDynamoDbLocal;
  let table: TestTable;

  beforeAll(async () => {
    local = await startRestartableDynamoDbLocal();
    table = await createTestTable(local.endpoint, {
      label: 'faults',
      clientConfig: failFast(2_000),
    });
  });

  afterAll(async () => {
    await table?.drop();
    await local?.stop();
  });

  it(`fails every call with a typed error within ${DOWN_BOUND_MS} ms while DynamoDB Local is down, and works after a restart`, async () => {
    const store = storeOn(table);
    const owner = 'outage-owner';
    const task = await store.create(owner, { variables: { before: true } });
    const backend = new DynamoDbBackend({
      client: table.documentClient,
      tableName: table.tableName,
    });

    await local.crash();
    const backendOutcomes = await runEach(backendCalls(backend, ownerPrefix(owner)));
    const storeOutcomes = await runEach(storeCalls(store, owner, task.taskId));
    await local.restart();

    expect(failureSummary(backendOutcomes, DOWN_BOUND_MS)).toEqual(
      backendOutcomes.map(({ name }) => ({ name, error: 'BackendError', withinBound: true })),
    );
    for (const { outcome } of backendOutcomes) expect(outcome.error).toBeInstanceOf(BackendError);
    expect(failureSummary(storeOutcomes, DOWN_BOUND_MS)).toEqual(
      storeOutcomes.map(({ name }) => ({ name, error: 'TaskStorageError', withinBound: true })),
    );
    for (const { outcome } of storeOutcomes) {
      expect(outcome.error).toBeInstanceOf(TaskStorageError);
      expect((outcome.error as TaskStorageError).cause).toBeInstanceOf(BackendError);
    }
    expect(await store.get(owner, task.taskId)).toEqual(task);
  });

  it('keeps every acknowledged write and no half-written one across a crash in the middle of writes', async () => {
    const owner = 'crash-owner';
    const store = storeOn(table);
    const tasks: TaskSnapshot[] = [];
    for (let chain = 0; chain < CHAINS; chain += 1) {
      tasks.push(await store.create(owner, { variables: { chain } }));
    }

    let acknowledged = 0;
    let crashed: Promise<void> | undefined;
    const chains = tasks.map(async (task) => {
      let steps = 0;
      let last = task;
      try {
        for (; steps < STEPS_PER_CHAIN; steps += 1) {
          last = await store.setVariables(owner, task.taskId, stepPatch(steps));
          acknowledged += 1;
          if (acknowledged === ACKNOWLEDGED_BEFORE_CRASH) crashed = local.crash();
        }
      } catch (error) {
        return { task, steps, last, error };
      }
      return { task, steps, last, error: undefined };
    });
    const results = await Promise.all(chains);
    await crashed;
    const failed = results.filter((result) => result.error !== undefined);
    expect(failed.length).toBeGreaterThan(0);
    for (const { error } of failed) expect(error).toBeInstanceOf(TaskStorageError);

    await local.restart();
    const unreadable = jest.fn();
    const after = storeOn(table, { onUnreadableRecord: unreadable });
    for (const { task, steps, last, error } of results) {
      const stored = await after.get(owner, task.taskId);
      if (error === undefined || stored.variables.step === last.variables.step) {
        expect(stored).toEqual(last);
      } else {
        expect(stored.variables).toEqual(variablesAfter(task.variables, steps + 1));
      }
    }
    const listed = await after.list(owner, { pageSize: 100 });
    expect(listed.tasks.map((task) => task.taskId).sort()).toEqual(
      tasks.map((task) => task.taskId).sort(),
    );
    expect(unreadable).not.toHaveBeenCalled();
    const { items } = await queryRawPartition(table, owner);
    for (const item of items) {
      expect(JSON.parse(String(item.data))).toMatchObject({
        taskId: item.SK.slice('TASK#'.length),
      });
    }
  });
});

describe('faults: the endpoint hangs', () => {
  it(`fails every call with a typed error within ${HUNG_BOUND_MS} ms when the endpoint accepts connections and never answers`, async () => {
    const blackhole = await startBlackhole();
    const { client, documentClient } = createDynamoDbClients(blackhole.endpoint, failFast(1_000));
    try {
      const backend = new DynamoDbBackend({ client: documentClient, tableName: 'tasks-hung' });
      const store = new GenericTaskStore({ backend });
      const owner = 'hung-owner';
      const backendSide = backendCalls(backend, ownerPrefix(owner));
      const storeSide = storeCalls(store, owner, newTaskId(Date.now()));
      const outcomes = await Promise.all(
        [...backendSide, ...storeSide].map(async ({ name, call }) => ({
          name,
          outcome: await timed(call),
        })),
      );
      expect(failureSummary(outcomes, HUNG_BOUND_MS)).toEqual([
        ...backendSide.map(({ name }) => ({
          name,
          error: WRITES.has(name) ? 'WriteOutcomeUnknownError' : 'BackendError',
          withinBound: true,
        })),
        ...storeSide.map(({ name }) => ({ name, error: 'TaskStorageError', withinBound: true })),
      ]);
      for (const { name, outcome } of outcomes.slice(0, backendSide.length)) {
        expect([name, outcome.error instanceof BackendError]).toEqual([name, true]);
      }
      for (const { name, outcome } of outcomes.slice(backendSide.length)) {
        expect([name, outcome.error instanceof TaskStorageError]).toEqual([name, true]);
        expect([name, (outcome.error as TaskStorageError).cause instanceof BackendError]).toEqual([
          name,
          true,
        ]);
      }
    } finally {
      client.destroy();
      await blackhole.close();
    }
  });
});
