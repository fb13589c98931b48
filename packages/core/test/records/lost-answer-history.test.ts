import { describe, expect, it } from '@jest/globals';
import type { StorageBackend } from '../../src/backend/contract.js';
import { WriteOutcomeUnknownError } from '../../src/backend/errors.js';
import { WRITE_HISTORY_LENGTH } from '../../src/records/versioned-records.js';
import { recordKey } from '../../src/store/keys.js';
import { GenericTaskStore } from '../../src/store/store.js';
import { InvalidTransitionError, TaskOutcomeUnknownError } from '../../src/store/task-errors.js';
import { ContractOnlyBackend } from '../../src/testing/contract-only-backend.js';
import { makeStore } from '../helpers.js';

const OWNER = 'resender';

/** What happens to the one write the backend is armed for. */
interface Loss {
  /** Whether the write reaches the database (false: the request itself was lost). */
  applied: boolean;
  /** Another writer's work, done after the write and before its answer (the resend's) comes back. */
  meanwhile: () => Promise<void>;
}

/**
 * Loses the answer of the next conditional write after `arm()`: applies it (or not), lets another
 * writer work, then throws `WriteOutcomeUnknownError` with the record as it then stands, as
 * DynamoDbBackend does when a resend fails its condition on a record someone else wrote since.
 */
class ResendingBackend extends ContractOnlyBackend {
  private loss: Loss | undefined;

  arm(loss: Loss): void {
    this.loss = loss;
  }

  override async putIfVersion(key: string, data: string, expectedVersion: number): Promise<number> {
    const loss = this.loss;
    if (loss === undefined) return super.putIfVersion(key, data, expectedVersion);
    this.loss = undefined;
    if (loss.applied) await this.inner.putIfVersion(key, data, expectedVersion);
    await loss.meanwhile();
    throw new WriteOutcomeUnknownError('putIfVersion', key, new Error('socket hang up'), {
      ...(await this.inner.get(key)),
    });
  }
}

function setup() {
  let resending: ResendingBackend | undefined;
  const made = makeStore({}, (memory) => {
    resending = new ResendingBackend(memory);
    return resending;
  });
  const backend = resending as ResendingBackend;
  /** Another instance: its own store (and cache) on the same database, untouched by the losses. */
  const other = new GenericTaskStore({ backend: made.memory, clock: made.clock });
  return { ...made, backend, other };
}

/** `count` writes by the other instance, each one merging a variable. */
function otherWrites(other: GenericTaskStore, taskId: string, count: number) {
  return async () => {
    for (let n = 0; n < count; n += 1)
      await other.setVariables(OWNER, taskId, { [`other${n}`]: n });
  };
}

async function versionOf(memory: StorageBackend, taskId: string): Promise<number> {
  return (await memory.get(recordKey(OWNER, taskId))).version;
}

describe('a lost answer settled from the record’s write history', () => {
  it('finds its write behind another writer’s and succeeds once', async () => {
    const { store, backend, other, memory } = setup();
    const { taskId } = await store.create(OWNER);
    backend.arm({ applied: true, meanwhile: otherWrites(other, taskId, 1) });
    const mine = await store.setVariables(OWNER, taskId, { mine: true });
    expect(mine.variables).toEqual({ mine: true });
    expect((await store.get(OWNER, taskId)).variables).toEqual({ mine: true, other0: 0 });
    expect(await versionOf(memory, taskId)).toBe(3);
  });

  it(`still finds it behind ${WRITE_HISTORY_LENGTH - 1} other writes, the most the history keeps with it`, async () => {
    const { store, backend, other, memory } = setup();
    const { taskId } = await store.create(OWNER);
    backend.arm({
      applied: true,
      meanwhile: otherWrites(other, taskId, WRITE_HISTORY_LENGTH - 1),
    });
    await expect(store.setVariables(OWNER, taskId, { mine: true })).resolves.toMatchObject({
      variables: { mine: true },
    });
    expect(await versionOf(memory, taskId)).toBe(2 + WRITE_HISTORY_LENGTH - 1);
  });

  it(`reports TaskOutcomeUnknownError once ${WRITE_HISTORY_LENGTH} other writes pushed it out of the history, and holds it once`, async () => {
    const { store, backend, other, memory } = setup();
    const { taskId } = await store.create(OWNER);
    backend.arm({ applied: true, meanwhile: otherWrites(other, taskId, WRITE_HISTORY_LENGTH) });
    const error = await store
      .setVariables(OWNER, taskId, { mine: true })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TaskOutcomeUnknownError);
    expect(error).toMatchObject({ code: -32603, retryable: true });
    expect((await store.get(OWNER, taskId)).variables).toMatchObject({ mine: true });
    expect(await versionOf(memory, taskId)).toBe(2 + WRITE_HISTORY_LENGTH);
  });

  it('reports TaskOutcomeUnknownError when the other writer keeps no history', async () => {
    const { store, backend, memory } = setup();
    const { taskId } = await store.create(OWNER);
    const key = recordKey(OWNER, taskId);
    backend.arm({
      applied: true,
      meanwhile: async () => {
        const stored = JSON.parse((await memory.get(key)).data) as Record<string, unknown>;
        await memory.put(key, JSON.stringify({ ...stored, writeIds: undefined }));
      },
    });
    const error = await store.cancel(OWNER, taskId).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TaskOutcomeUnknownError);
    expect((await store.get(OWNER, taskId)).status).toBe('cancelled');
    expect(await versionOf(memory, taskId)).toBe(3);
  });

  it('succeeds at storeResult although another instance tried to cancel before the answer came back', async () => {
    const { store, backend, other } = setup();
    const { taskId } = await store.create(OWNER);
    const cancels: unknown[] = [];
    backend.arm({
      applied: true,
      meanwhile: async () => {
        cancels.push(await other.cancel(OWNER, taskId).catch((caught: unknown) => caught));
      },
    });
    await expect(
      store.storeResult(OWNER, taskId, 'completed', { done: true }),
    ).resolves.toMatchObject({ status: 'completed' });
    expect(cancels).toEqual([expect.any(InvalidTransitionError)]);
    expect(await store.getResult(OWNER, taskId)).toEqual({ done: true });
  });

  it('retries a write the history proves never landed, and applies it once', async () => {
    const { store, backend, other, memory } = setup();
    const { taskId } = await store.create(OWNER);
    backend.arm({ applied: false, meanwhile: otherWrites(other, taskId, 1) });
    await expect(store.setVariables(OWNER, taskId, { mine: true })).resolves.toMatchObject({
      variables: { mine: true, other0: 0 },
    });
    expect(await versionOf(memory, taskId)).toBe(3);
  });

  it('refuses with the true domain error when its lost write never landed and a cancel did', async () => {
    const { store, backend, other } = setup();
    const { taskId } = await store.create(OWNER);
    backend.arm({
      applied: false,
      meanwhile: async () => {
        await other.cancel(OWNER, taskId);
      },
    });
    await expect(
      store.storeResult(OWNER, taskId, 'completed', { done: true }),
    ).rejects.toBeInstanceOf(InvalidTransitionError);
    expect((await store.get(OWNER, taskId)).status).toBe('cancelled');
  });

  it('retries at once when the record shows it has not moved, and applies the write once', async () => {
    const { store, backend, memory } = setup();
    const { taskId } = await store.create(OWNER);
    backend.arm({ applied: false, meanwhile: async () => undefined });
    await expect(store.updateStatus(OWNER, taskId, 'input_required')).resolves.toMatchObject({
      status: 'input_required',
    });
    expect(await versionOf(memory, taskId)).toBe(2);
  });
});
