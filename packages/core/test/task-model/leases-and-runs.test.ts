import { describe, expect, it } from '@jest/globals';
import { retryAtOnce } from '../../src/common/retry-wait.js';
import { TaskRun, TaskRunAbortedError } from '../../src/runtime/task-run.js';
import { TaskWatcher } from '../../src/runtime/task-watcher.js';
import { recordKey } from '../../src/store/keys.js';
import { WORKER_LOST_CODE } from '../../src/store/lease.js';
import { GenericTaskStore } from '../../src/store/store.js';
import type { TaskSnapshot } from '../../src/store/task.js';
import { InvalidTransitionError, LeaseLostError } from '../../src/store/task-errors.js';
import { CountingBackend } from '../../src/testing/counting-backend.js';
import { makeStore } from '../helpers.js';

const OWNER = 'lease-owner';
const LEASE = { holder: 'instance-a', durationMs: 30_000 };

describe('worker leases', () => {
  it('reads a task whose lease lapsed as failed with -32603 on every instance, written once', async () => {
    const { store, backend, clock } = makeStore();
    const counting = new CountingBackend(backend);
    const survivors = [0, 1, 2].map(() => new GenericTaskStore({ backend: counting, clock }));
    const { taskId } = await store.create(OWNER, { lease: LEASE });
    clock.advance(29_999);
    expect((await survivors[0]?.get(OWNER, taskId))?.status).toBe('working');
    clock.advance(1);
    const reads = await Promise.all(survivors.map((survivor) => survivor.get(OWNER, taskId)));
    for (const read of reads) {
      expect(read).toMatchObject({
        status: 'failed',
        error: { code: WORKER_LOST_CODE, message: expect.stringContaining('instance-a') },
        lastUpdatedAt: new Date(clock.now()).toISOString(),
      });
      expect(read.lease).toBeUndefined();
    }
    expect(reads[1]).toEqual(reads[0]);
    expect(counting.calls.putIfVersion).toBeLessThanOrEqual(3);
    expect(await store.get(OWNER, taskId)).toEqual(reads[0]);
    expect((await backend.get(recordKey(OWNER, taskId))).version).toBe(2);
  });

  it('keeps a renewed lease alive and refuses a late worker after a lapse', async () => {
    const { store, clock } = makeStore();
    const { taskId } = await store.create(OWNER, { lease: LEASE });
    for (let renewal = 0; renewal < 5; renewal += 1) {
      clock.advance(20_000);
      const renewed = await store.renewLease(OWNER, taskId, LEASE);
      expect(renewed.status).toBe('working');
      expect(renewed.lastUpdatedAt).toBe(
        new Date(Date.parse('2026-03-01T12:00:00.000Z')).toISOString(),
      );
    }
    clock.advance(30_000);
    await expect(store.renewLease(OWNER, taskId, LEASE)).rejects.toBeInstanceOf(LeaseLostError);
    await expect(
      store.storeResult(OWNER, taskId, 'completed', { late: true }),
    ).rejects.toBeInstanceOf(InvalidTransitionError);
    expect((await store.get(OWNER, taskId)).status).toBe('failed');
    await expect(
      store.renewLease(OWNER, taskId, { holder: 'instance-b', durationMs: 1_000 }),
    ).rejects.toBeInstanceOf(LeaseLostError);
  });

  it('lets only the holder renew, and lets a worker claim a task handed to it', async () => {
    const { store } = makeStore();
    const { taskId } = await store.create(OWNER, { lease: LEASE });
    await expect(
      store.renewLease(OWNER, taskId, { holder: 'intruder', durationMs: 1_000 }),
    ).rejects.toMatchObject({
      name: 'LeaseLostError',
      message: expect.stringContaining('instance-a'),
    });
    const claimed = await store.claimLease(OWNER, taskId, {
      holder: 'worker-b',
      durationMs: 5_000,
    });
    expect(claimed.lease?.holder).toBe('worker-b');
    await expect(store.renewLease(OWNER, taskId, LEASE)).rejects.toBeInstanceOf(LeaseLostError);
  });

  it('never lapses a task created without a lease (a 2025-11-25 client drives it)', async () => {
    const { store, clock } = makeStore({ maxTtlMs: 86_400_000, defaultTtlMs: 86_400_000 });
    const { taskId } = await store.create(OWNER);
    clock.advance(86_000_000);
    expect((await store.get(OWNER, taskId)).status).toBe('working');
  });

  it('ends in exactly one terminal state when a late completion races the lapse', async () => {
    for (let round = 0; round < 20; round += 1) {
      const { store, backend, clock } = makeStore();
      const reader = new GenericTaskStore({ backend, clock });
      const { taskId } = await store.create(OWNER, { lease: LEASE });
      clock.advance(30_000 - (round % 2));
      const outcomes = await Promise.allSettled([
        store.storeResult(OWNER, taskId, 'completed', { round }),
        reader.get(OWNER, taskId),
      ]);
      const final = await reader.get(OWNER, taskId);
      expect(['completed', 'failed']).toContain(final.status);
      const completion = outcomes[0];
      if (completion.status === 'fulfilled') expect(final.status).toBe('completed');
      else expect(completion.reason).toBeInstanceOf(InvalidTransitionError);
      expect(await store.get(OWNER, taskId)).toEqual(final);
    }
  });
});

describe('cancel', () => {
  it('reads cancelled at once, and ends in exactly one terminal state when it races completion', async () => {
    for (let round = 0; round < 20; round += 1) {
      const { store, backend, clock } = makeStore();
      const other = new GenericTaskStore({ backend, clock });
      const { taskId } = await store.create(OWNER);
      const [completed, cancelled] = await Promise.allSettled([
        store.storeResult(OWNER, taskId, 'completed', { round }),
        other.cancel(OWNER, taskId),
      ]);
      const statuses = [completed, cancelled].filter((outcome) => outcome.status === 'fulfilled');
      expect(statuses).toHaveLength(1);
      const final = await store.get(OWNER, taskId);
      expect(final.status).toBe(completed.status === 'fulfilled' ? 'completed' : 'cancelled');
    }
  });
});

describe('watching a task', () => {
  it('yields each visible change until terminal, with one read per interval for any number of watchers', async () => {
    const made = makeStore();
    const counting = new CountingBackend(made.backend);
    const store = new GenericTaskStore({ backend: counting, clock: made.clock });
    const writer = new GenericTaskStore({ backend: made.backend, clock: made.clock });
    const watcher = new TaskWatcher(store, { intervalMs: 500, timers: made.clock });
    const { taskId } = await writer.create(OWNER);
    const seen: TaskSnapshot[][] = [[], [], []];
    const watches = seen.map(async (log) => {
      for await (const snapshot of watcher.watch(OWNER, taskId)) log.push(snapshot);
    });
    await made.clock.advanceAsync(0);
    counting.reset();
    await writer.setStatusMessage(OWNER, taskId, 'step 1');
    await made.clock.advanceAsync(500);
    await writer.setVariables(OWNER, taskId, { invisible: true });
    await made.clock.advanceAsync(500);
    await writer.storeResult(OWNER, taskId, 'completed', { ok: true });
    await made.clock.advanceAsync(500);
    await Promise.all(watches);
    expect(counting.calls.get).toBe(3);
    for (const log of seen) {
      expect(log.map((snapshot) => [snapshot.status, snapshot.statusMessage])).toEqual([
        ['working', undefined],
        ['working', 'step 1'],
        ['completed', 'step 1'],
      ]);
    }
    expect(watcher.watchedTasks).toBe(0);
    expect(made.clock.pendingTimers).toBe(0);
  });
});

describe('TaskRun', () => {
  async function started(pollIntervalMs = 1_000) {
    const made = makeStore();
    const { taskId } = await made.store.create(OWNER, {
      lease: { holder: 'api', durationMs: 10_000 },
    });
    const worker = new GenericTaskStore({ backend: made.backend, clock: made.clock });
    const run = await TaskRun.start(worker, OWNER, taskId, {
      holder: 'worker',
      leaseMs: 30_000,
      pollIntervalMs,
      timers: made.clock,
    });
    return { ...made, taskId, run };
  }

  it('takes the lease from the creator and keeps it renewed while it runs', async () => {
    const { store, clock, taskId, run } = await started();
    expect(run.task.lease?.holder).toBe('worker');
    await clock.advanceAsync(120_000);
    expect((await store.get(OWNER, taskId)).status).toBe('working');
    expect(run.signal.aborted).toBe(false);
    await run.complete({ content: [] });
    expect(clock.pendingTimers).toBe(0);
  });

  it('aborts its signal within one poll interval of a cancel made on another instance', async () => {
    const { store, clock, taskId, run } = await started(1_000);
    await clock.advanceAsync(0);
    await store.cancel(OWNER, taskId);
    expect(run.signal.aborted).toBe(false);
    await clock.advanceAsync(1_000);
    expect(run.signal.aborted).toBe(true);
    expect(run.signal.reason).toBeInstanceOf(TaskRunAbortedError);
    expect(run.signal.reason).toMatchObject({ reason: 'cancelled' });
    await expect(run.complete({ late: true })).rejects.toBeInstanceOf(InvalidTransitionError);
    expect((await store.get(OWNER, taskId)).status).toBe('cancelled');
  });

  it('says cancelled, not lease lost, when a renewal is the first to meet the cancel', async () => {
    const { store, backend, clock } = makeStore();
    const { taskId } = await store.create(OWNER);
    const worker = new GenericTaskStore({ backend, clock, retryWait: retryAtOnce });
    const run = await TaskRun.start(worker, OWNER, taskId, {
      holder: 'worker',
      leaseMs: 30_000,
      pollIntervalMs: 60_000,
      timers: clock,
    });
    await clock.advanceAsync(0);
    await store.cancel(OWNER, taskId);
    await clock.advanceAsync(10_000);
    expect(run.signal.aborted).toBe(true);
    expect(run.signal.reason).toMatchObject({ reason: 'cancelled' });
  });

  it('aborts as cancelled at once when one of its writes is the first to meet a cancel', async () => {
    const { store, clock, taskId, run } = await started(60_000);
    await clock.advanceAsync(0);
    await store.cancel(OWNER, taskId);
    await expect(run.reportStatus('step 2')).rejects.toBeInstanceOf(InvalidTransitionError);
    expect(run.signal.aborted).toBe(true);
    expect(run.signal.reason).toMatchObject({ reason: 'cancelled' });
    await expect(run.complete({ late: true })).rejects.toBeInstanceOf(InvalidTransitionError);
    expect(clock.pendingTimers).toBe(0);
  });

  it('returns the responses to requestInput once another instance delivered every one', async () => {
    const { store, clock, taskId, run } = await started(1_000);
    const asked = run.requestInput({
      a: { method: 'elicitation/create', params: { message: 'a?' } },
      b: { method: 'elicitation/create', params: { message: 'b?' } },
    });
    await clock.advanceAsync(0);
    expect((await store.get(OWNER, taskId)).status).toBe('input_required');
    await store.respondToInput(OWNER, taskId, { a: { action: 'accept', content: { v: 1 } } });
    await clock.advanceAsync(1_000);
    await store.respondToInput(OWNER, taskId, { b: { action: 'decline' }, a: { ignored: true } });
    await clock.advanceAsync(1_000);
    expect(await asked).toEqual({
      a: { action: 'accept', content: { v: 1 } },
      b: { action: 'decline' },
    });
    const after = await store.get(OWNER, taskId);
    expect(after.status).toBe('working');
    expect(after.inputResponses).toBeUndefined();
    run.stop();
  });

  it('rejects a pending requestInput and aborts when its lease is lost', async () => {
    const { store, clock, taskId, run } = await started(1_000);
    const asked = run
      .requestInput({ a: { method: 'elicitation/create' } })
      .catch((e: unknown) => e);
    await clock.advanceAsync(0);
    await store.claimLease(OWNER, taskId, { holder: 'usurper', durationMs: 60_000 });
    await clock.advanceAsync(10_000);
    expect(run.signal.aborted).toBe(true);
    expect(run.signal.reason).toMatchObject({ reason: 'lease-lost' });
    expect(await asked).toBeInstanceOf(TaskRunAbortedError);
  });
});
