import { queueKey } from '../queue/message-queue-record.js';
import { recordKey } from '../store/keys.js';
import type { TaskSnapshot } from '../store/task.js';
import { useBackend } from './backend-hooks.js';
import type { BackendFactory, ResolvedConformanceOptions } from './conformance-context.js';
import { everyNthWrite } from './lossy-backend.js';
import {
  anotherInstance,
  expectOutcomeUnknown,
  expectWrittenTimes,
  failureOf,
  lossySetup,
  message,
  storedHistory,
} from './lost-answers-support.js';
import type { TestRunner } from './runner.js';

/**
 * Writes whose answer is lost after they were applied, through the store and the queue over a
 * `LossyBackend` wrapping the backend under test. When the backend hands back the record it saw
 * afterwards, every operation succeeds exactly once; when it has nothing to show, the caller gets
 * `TaskOutcomeUnknownError` and the record holds the write exactly once. Never a second
 * application, never a lost message, never a false domain error.
 */
export function describeLostAnswers(
  runner: TestRunner,
  createBackend: BackendFactory,
  options: ResolvedConformanceOptions,
): void {
  const { describe, it, expect } = runner;
  describe('lost answers (the store and the queue over LossyBackend)', () => {
    const backend = useBackend(runner, createBackend, options);
    const timeout = options.timeoutMs;

    it(
      'succeeds once at every store write whose answer was lost, when the record comes back',
      async () => {
        const { inner, lossy, store, owner } = lossySetup(backend());
        const { taskId } = await store.create(owner, { variables: { a: 1 } });
        await store.setVariables(owner, taskId, { b: 2 });
        await store.updateStatus(owner, taskId, 'input_required', 'asking');
        await store.reportStatus(owner, taskId, 'input_required', 'still asking');
        await store.updateStatus(owner, taskId, 'working');
        await store.setStatusMessage(owner, taskId, 'step 2');
        const done = await store.storeResult(owner, taskId, 'completed', { answer: 42 });
        expect(done).toMatchObject({
          status: 'completed',
          statusMessage: 'step 2',
          variables: { a: 1, b: 2 },
        });
        expect(await store.getResult(owner, taskId)).toEqual({ answer: 42 });
        const other = await store.create(owner);
        expect(await store.cancel(owner, other.taskId, 'stop')).toMatchObject({
          status: 'cancelled',
          statusMessage: 'stop',
        });
        expect(lossy.lostAnswers).toBe(9);
        expect(lossy.applied).toBe(9);
        await expectWrittenTimes(expect, inner, recordKey(owner, taskId), 7);
        await expectWrittenTimes(expect, inner, recordKey(owner, other.taskId), 2);
      },
      timeout,
    );

    it(
      'neither loses nor repeats a message when the answers of queue writes are lost',
      async () => {
        const { inner, lossy, store, queue, owner } = lossySetup(backend());
        const { taskId } = await store.create(owner);
        for (const n of [1, 2, 3]) await queue.enqueue(owner, taskId, message(n));
        expect(await queue.dequeue(owner, taskId)).toEqual(message(1));
        expect(await queue.dequeue(owner, taskId)).toEqual(message(2));
        expect(await queue.dequeueAll(owner, taskId)).toEqual([message(3)]);
        for (const n of [4, 5]) await queue.enqueue(owner, taskId, message(n));
        expect(await queue.dequeueAll(owner, taskId)).toEqual([message(4), message(5)]);
        expect(await queue.dequeue(owner, taskId)).toBeUndefined();
        expect(lossy.lostAnswers).toBe(10);
        await expectWrittenTimes(expect, inner, queueKey(owner, taskId), 9);
      },
      timeout,
    );

    it(
      'reports TaskOutcomeUnknownError for a store write when nothing comes back, and holds the write once',
      async () => {
        let losing = false;
        const setup = lossySetup(backend(), { loses: () => losing, carryCurrent: false });
        const { inner, store, owner } = setup;
        const { taskId } = await store.create(owner);
        const other = await store.create(owner);
        const steps: Array<{
          taskId: string;
          write: () => Promise<unknown>;
          check: (task: TaskSnapshot) => void;
        }> = [
          {
            taskId,
            write: () => store.setVariables(owner, taskId, { b: 2 }),
            check: (task) => expect(task.variables).toEqual({ b: 2 }),
          },
          {
            taskId,
            write: () => store.updateStatus(owner, taskId, 'input_required', 'asking'),
            check: (task) =>
              expect(task).toMatchObject({ status: 'input_required', statusMessage: 'asking' }),
          },
          {
            taskId,
            write: () => store.reportStatus(owner, taskId, 'input_required', 'still asking'),
            check: (task) => expect(task.statusMessage).toBe('still asking'),
          },
          {
            taskId,
            write: () => store.setStatusMessage(owner, taskId, 'nearly'),
            check: (task) => expect(task.statusMessage).toBe('nearly'),
          },
          {
            taskId,
            write: () => store.storeResult(owner, taskId, 'failed', { reason: 'disk full' }),
            check: (task) => expect(task).toMatchObject({ status: 'failed', hasResult: true }),
          },
          {
            taskId: other.taskId,
            write: () => store.cancel(owner, other.taskId),
            check: (task) => expect(task.status).toBe('cancelled'),
          },
        ];
        for (const step of steps) {
          const key = recordKey(owner, step.taskId);
          const before = await storedHistory(inner, key);
          losing = true;
          const error = await failureOf(step.write());
          losing = false;
          expectOutcomeUnknown(expect, error);
          await expectWrittenTimes(expect, inner, key, before.version + 1);
          step.check(await store.get(owner, step.taskId));
        }
        expect(await store.getResult(owner, taskId)).toEqual({ reason: 'disk full' });
      },
      timeout,
    );

    it(
      'reports TaskOutcomeUnknownError for a create when nothing comes back, and holds one task',
      async () => {
        const { store, owner } = lossySetup(backend(), { carryCurrent: false });
        expectOutcomeUnknown(expect, await failureOf(store.create(owner, { statusMessage: 'x' })));
        const { tasks } = await store.list(owner);
        expect(tasks).toHaveLength(1);
        expect(tasks[0]).toMatchObject({ status: 'working', statusMessage: 'x' });
      },
      timeout,
    );

    it(
      'reports TaskOutcomeUnknownError for a queue write when nothing comes back, and applies it once',
      async () => {
        let losing = false;
        const setup = lossySetup(backend(), { loses: () => losing, carryCurrent: false });
        const { inner, store, queue, owner } = setup;
        const { taskId } = await store.create(owner);
        const key = queueKey(owner, taskId);
        for (const n of [1, 2]) await queue.enqueue(owner, taskId, message(n));
        const lose = async (write: () => Promise<unknown>) => {
          losing = true;
          const error = await failureOf(write());
          losing = false;
          expectOutcomeUnknown(expect, error);
        };
        await lose(() => queue.enqueue(owner, taskId, message(3)));
        await expectWrittenTimes(expect, inner, key, 3);
        await lose(() => queue.dequeue(owner, taskId));
        await expectWrittenTimes(expect, inner, key, 4);
        await queue.enqueue(owner, taskId, message(4));
        await lose(() => queue.dequeueAll(owner, taskId));
        await expectWrittenTimes(expect, inner, key, 6);
        expect(await queue.dequeueAll(owner, taskId)).toEqual([]);
        await queue.enqueue(owner, taskId, message(5));
        await lose(() => queue.dequeue(owner, taskId));
        await queue.enqueue(owner, taskId, message(6));
        expect(await queue.dequeueAll(owner, taskId)).toEqual([message(6)]);
      },
      timeout,
    );

    it(
      'keeps every message exactly once when two instances enqueue in parallel and every second answer is lost',
      async () => {
        // Every second write: each instance writes its enqueues in one or a few batches (group
        // commit), so a sparser choice could pass no write through the loss at all.
        const first = lossySetup(backend(), { loses: everyNthWrite(2) });
        const second = anotherInstance(first);
        const { store, owner } = first;
        const { taskId } = await store.create(owner);
        const count = 24;
        await Promise.all(
          Array.from({ length: count }, (_, n) =>
            (n % 2 === 0 ? first : second).queue.enqueue(owner, taskId, message(n)),
          ),
        );
        const stored = await anotherInstance(first, true).queue.dequeueAll(owner, taskId);
        expect(stored.map((queued) => Number(queued.n)).sort((a, b) => a - b)).toEqual(
          Array.from({ length: count }, (_, n) => n),
        );
        expect(first.lossy.lostAnswers).toBeGreaterThanOrEqual(1);
        const { version } = await storedHistory(first.inner, queueKey(owner, taskId));
        await expectWrittenTimes(expect, first.inner, queueKey(owner, taskId), version);
      },
      timeout,
    );

    it(
      'holds each unknown enqueue at most once and each acknowledged one exactly once, in parallel, when nothing comes back',
      async () => {
        const first = lossySetup(backend(), { loses: everyNthWrite(4), carryCurrent: false });
        const second = anotherInstance(first);
        const { store, owner } = first;
        const { taskId } = await store.create(owner);
        const count = 24;
        const outcomes = await Promise.allSettled(
          Array.from({ length: count }, (_, n) =>
            (n % 2 === 0 ? first : second).queue.enqueue(owner, taskId, message(n)),
          ),
        );
        const checker = anotherInstance(first, true);
        const stored = (await checker.queue.dequeueAll(owner, taskId)).map((queued) =>
          Number(queued.n),
        );
        expect(new Set(stored).size).toBe(stored.length);
        outcomes.forEach((outcome, n) => {
          if (outcome.status === 'fulfilled') {
            expect(stored.filter((queued) => queued === n)).toHaveLength(1);
          } else {
            expectOutcomeUnknown(expect, outcome.reason);
            expect(stored.filter((queued) => queued === n).length).toBeLessThanOrEqual(1);
          }
        });
      },
      timeout,
    );
  });
}
