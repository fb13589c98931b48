import { describe, expect, it } from '@jest/globals';
import { recordKey } from '../src/store/keys.js';
import { InvalidTransitionError, TaskConflictError } from '../src/store/task-errors.js';
import { InterferingBackend, makeStore } from './helpers.js';

const OWNER = 'racer';

describe('GenericTaskStore compare-and-swap', () => {
  it('re-reads and retries on a version conflict, keeping the other writer’s change', async () => {
    let interfering: InterferingBackend | undefined;
    const { store } = makeStore({}, (memory) => {
      interfering = new InterferingBackend(memory, 3, (_key, current) => {
        const record = JSON.parse(current.data) as { variables: Record<string, unknown> };
        record.variables[`other${Object.keys(record.variables).length}`] = true;
        return JSON.stringify(record);
      });
      return interfering;
    });
    const { taskId } = await store.create(OWNER);
    if (interfering) interfering.conditionalWrites = 0;
    const task = await store.setVariables(OWNER, taskId, { mine: 1 });
    expect(task.variables).toEqual({ other0: true, other1: true, other2: true, mine: 1 });
    expect(interfering?.conditionalWrites).toBe(4);
  });

  it('waits before each retry, telling the wait which attempt lost', async () => {
    const waits: number[] = [];
    const { store } = makeStore(
      { retryWait: async (attempt) => void waits.push(attempt) },
      (memory) => new InterferingBackend(memory, 3),
    );
    const { taskId } = await store.create(OWNER);
    await store.setVariables(OWNER, taskId, { mine: 1 });
    expect(waits).toEqual([1, 2, 3]);
  });

  it('re-validates after a conflict: a task completed meanwhile cannot be cancelled', async () => {
    const { store } = makeStore(
      {},
      (memory) =>
        new InterferingBackend(memory, 1, (_key, current) => {
          const record = JSON.parse(current.data) as Record<string, unknown>;
          return JSON.stringify({ ...record, status: 'completed', result: { by: 'worker' } });
        }),
    );
    const { taskId } = await store.create(OWNER);
    await expect(store.cancel(OWNER, taskId)).rejects.toThrow(
      "Cannot cancel task: already in terminal status 'completed'",
    );
    expect(await store.getResult(OWNER, taskId)).toEqual({ by: 'worker' });
  });

  it('gives up with TaskConflictError after maxAttempts and writes nothing of its own', async () => {
    const { store, memory } = makeStore(
      { maxAttempts: 3 },
      (inner) => new InterferingBackend(inner, 10),
    );
    const { taskId } = await store.create(OWNER);
    const error = await store
      .setVariables(OWNER, taskId, { lost: true })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TaskConflictError);
    expect(error).toMatchObject({ code: -32603, attempts: 3 });
    expect((await store.get(OWNER, taskId)).variables).toEqual({});
    expect((await memory.get(recordKey(OWNER, taskId))).version).toBe(4);
  });

  it('never loses a variable among 64 parallel merges', async () => {
    const { store } = makeStore();
    const { taskId } = await store.create(OWNER);
    await Promise.all(
      Array.from({ length: 64 }, (_, writer) =>
        store.setVariables(OWNER, taskId, { [`w${writer}`]: writer }),
      ),
    );
    const { variables } = await store.get(OWNER, taskId);
    expect(Object.keys(variables)).toHaveLength(64);
  });

  it('lets whichever of complete and cancel writes first win, in both orders', async () => {
    for (const first of ['cancel', 'complete'] as const) {
      const { store } = makeStore();
      const { taskId } = await store.create(OWNER);
      const complete = () => store.storeResult(OWNER, taskId, 'completed', { done: true });
      const cancel = () => store.cancel(OWNER, taskId);
      const [winner, loser] = first === 'cancel' ? [cancel(), complete()] : [complete(), cancel()];
      const [won, lost] = await Promise.allSettled([winner, loser]);
      expect(won.status).toBe('fulfilled');
      expect(lost.status).toBe('rejected');
      expect((lost as PromiseRejectedResult).reason).toBeInstanceOf(InvalidTransitionError);
      const final = await store.get(OWNER, taskId);
      expect(final.status).toBe(first === 'cancel' ? 'cancelled' : 'completed');
      expect(final.hasResult).toBe(first === 'complete');
    }
  });

  it('ends every complete-versus-cancel race in exactly one terminal state', async () => {
    for (let race = 0; race < 25; race += 1) {
      const { store } = makeStore();
      const { taskId } = await store.create(OWNER);
      const [completed, cancelled] = await Promise.allSettled([
        store.storeResult(OWNER, taskId, 'completed', { race }),
        store.cancel(OWNER, taskId),
      ]);
      const winners = [completed, cancelled].filter((outcome) => outcome.status === 'fulfilled');
      expect(winners).toHaveLength(1);
      const loser = [completed, cancelled].find(
        (outcome) => outcome.status === 'rejected',
      ) as PromiseRejectedResult;
      expect(loser.reason).toBeInstanceOf(InvalidTransitionError);
      const final = await store.get(OWNER, taskId);
      expect(final.status).toBe(completed.status === 'fulfilled' ? 'completed' : 'cancelled');
    }
  });
});
