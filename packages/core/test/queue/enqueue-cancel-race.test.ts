import { describe, expect, it } from '@jest/globals';
import { InMemoryBackend } from '../../src/backend/memory-backend.js';
import { retryAtOnce } from '../../src/common/retry-wait.js';
import { GenericTaskMessageQueue } from '../../src/queue/message-queue.js';
import { MessageQueueClosedError } from '../../src/queue/message-queue-errors.js';
import { queueKey } from '../../src/queue/message-queue-record.js';
import { recordKey } from '../../src/store/keys.js';
import { GenericTaskStore } from '../../src/store/store.js';
import {
  type BackendCall,
  FakeClock,
  GatedBackend,
  type HoldPoint,
} from '../../src/testing/index.js';

const OWNER = 'racer';
const MESSAGE = { type: 'request', message: { method: 'elicitation/create', id: 7 } };
/** Requests an enqueue may make: read the task, read and write the queue, read the task again, take the message back. */
const MOST_REQUESTS = 6;

/** How an enqueue ended, or that it had not by the time everything ready to run had run. */
type Settlement = 'enqueued' | 'closed' | 'pending' | { unexpected: unknown };

/**
 * Where the cancel lands relative to the enqueue: at once (`first`), when a call of the enqueue
 * matching `call` (its `nth` such call) is held at `point`, or after the enqueue returned (`last`).
 */
type CancelAt =
  | 'first'
  | 'last'
  | { call: (keys: Keys) => (call: BackendCall) => boolean; nth: number; point: HoldPoint };

interface Keys {
  task: string;
  queue: string;
}

const readsOfTask = (keys: Keys) => (call: BackendCall) =>
  call.method === 'get' && call.key === keys.task;
const writesOfQueue = (keys: Keys) => (call: BackendCall) =>
  call.method === 'putIfVersion' && call.key === keys.queue;

/** Matches the `nth` call that `matches` accepts. */
function nthOf(nth: number, matches: (call: BackendCall) => boolean) {
  let seen = 0;
  return (call: BackendCall) => matches(call) && ++seen === nth;
}

/**
 * One process enqueues (its backend gated); another cancels the task and then takes every queued
 * message, as the MCP SDK's tasks/cancel handler does.
 */
function setup() {
  const clock = new FakeClock();
  const memory = new InMemoryBackend({ clock });
  const gated = new GatedBackend(memory);
  const enqueuer = new GenericTaskStore({ backend: gated, clock, retryWait: retryAtOnce });
  const canceller = new GenericTaskStore({ backend: memory, clock, retryWait: retryAtOnce });
  const cancellerQueue = new GenericTaskMessageQueue({ store: canceller });
  return {
    gated,
    enqueuer,
    queue: new GenericTaskMessageQueue({ store: enqueuer }),
    cancellerQueue,
    cancelAndClear: async (taskId: string) => {
      await canceller.cancel(OWNER, taskId);
      return cancellerQueue.dequeueAll(OWNER, taskId);
    },
  };
}

/** How `promise` has settled once everything already able to run has run (no timers are involved). */
async function settlementOf(promise: Promise<void>): Promise<Settlement> {
  let settlement: Settlement = 'pending';
  promise.then(
    () => (settlement = 'enqueued'),
    (error: unknown) =>
      (settlement = error instanceof MessageQueueClosedError ? 'closed' : { unexpected: error }),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return settlement;
}

/** Runs the race with the cancel at `at`; returns how the enqueue ended and what the cancel took. */
async function race(at: CancelAt) {
  const { gated, enqueuer, queue, cancellerQueue, cancelAndClear } = setup();
  const { taskId } = await enqueuer.create(OWNER);
  const keys = { task: recordKey(OWNER, taskId), queue: queueKey(OWNER, taskId) };
  let cleared: unknown[] = [];
  const gate =
    typeof at === 'object' ? gated.hold(nthOf(at.nth, at.call(keys)), at.point) : undefined;
  if (at === 'first') cleared = await cancelAndClear(taskId);
  gated.calls.length = 0;
  const enqueue = queue.enqueue(OWNER, taskId, MESSAGE);
  if (gate !== undefined) {
    await gate.reached;
    cleared = await cancelAndClear(taskId);
    gate.release();
  }
  const settlement = await settlementOf(enqueue);
  const requests = gated.calls.length;
  if (at === 'last') cleared = await cancelAndClear(taskId);
  const left = await cancellerQueue.dequeueAll(OWNER, taskId);
  return { settlement, delivered: cleared.length, requests, left };
}

describe('an enqueue racing the cancel of its task (another process cancels, then clears the queue)', () => {
  it.each<[string, CancelAt, Settlement, number]>([
    ['before the enqueue reads the task', 'first', 'closed', 0],
    [
      'after the enqueue saw the task open, before it writes',
      { call: readsOfTask, nth: 1, point: 'after' },
      'closed',
      0,
    ],
    [
      'after the enqueue’s write landed, before its answer',
      { call: writesOfQueue, nth: 1, point: 'after' },
      'closed',
      1,
    ],
    [
      'before the enqueue reads the task again',
      { call: readsOfTask, nth: 2, point: 'before' },
      'closed',
      1,
    ],
    [
      'after the enqueue read the task again and saw it open',
      { call: readsOfTask, nth: 2, point: 'after' },
      'enqueued',
      1,
    ],
    ['after the enqueue returned', 'last', 'enqueued', 1],
  ])(
    'cancelled %s: settles at once, and the message is never left behind',
    async (_label, at, settlement, delivered) => {
      const outcome = await race(at);
      expect(outcome.settlement).toEqual(settlement);
      expect(outcome.delivered).toBe(delivered);
      expect(outcome.left).toEqual([]);
      expect(outcome.requests).toBeLessThanOrEqual(MOST_REQUESTS);
    },
  );
});
