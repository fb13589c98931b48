import { randomUUID } from 'node:crypto';
import type { StorageBackend } from '../backend/contract.js';
import { WriteOutcomeUnknownError } from '../backend/errors.js';
import { GenericTaskMessageQueue } from '../queue/message-queue.js';
import { WRITE_HISTORY_LENGTH } from '../records/versioned-records.js';
import { GenericTaskStore } from '../store/store.js';
import { TaskOutcomeUnknownError } from '../store/task-errors.js';
import { LossyBackend, type LossyBackendOptions } from './lossy-backend.js';
import type { Matchers } from './runner.js';

/** A store and a queue over a `LossyBackend` wrapping the backend under test. */
export interface LossySetup {
  /** The backend under test, for reading what was really stored. */
  inner: StorageBackend;
  /** The wrapper that loses answers. */
  lossy: LossyBackend;
  store: GenericTaskStore;
  queue: GenericTaskMessageQueue;
  /** An owner no other test uses. */
  owner: string;
}

/**
 * No active-task limit, so the writes counted are those of tasks and queues only (the index a limit
 * keeps is written through the same engine, and tested on its own).
 */
const UNLIMITED = { maxActiveTasksPerOwner: null };

/** Builds a `LossySetup` on `inner`. */
export function lossySetup(inner: StorageBackend, options: LossyBackendOptions = {}): LossySetup {
  const lossy = new LossyBackend(inner, options);
  const store = new GenericTaskStore({ backend: lossy, limits: UNLIMITED });
  return {
    inner,
    lossy,
    store,
    queue: new GenericTaskMessageQueue({ store }),
    owner: `lossy-${randomUUID()}`,
  };
}

/**
 * Another instance (a store and a queue of their own, as in another process) on the same
 * `LossyBackend`, or with `lossless` on the backend under test itself, to check what was stored.
 */
export function anotherInstance(setup: LossySetup, lossless = false): LossySetup {
  const store = new GenericTaskStore({
    backend: lossless ? setup.inner : setup.lossy,
    limits: UNLIMITED,
  });
  return { ...setup, store, queue: new GenericTaskMessageQueue({ store }) };
}

/** A queue message numbered `n`. */
export function message(n: number): { n: number; text: string } {
  return { n, text: `message ${n}` };
}

/** What is stored at `key`: its version and the ids of its latest writes. */
export async function storedHistory(
  backend: StorageBackend,
  key: string,
): Promise<{ version: number; writeIds: string[] }> {
  const stored = await backend.get(key);
  const parsed = JSON.parse(stored.data) as { writeIds?: string[] };
  return { version: stored.version, writeIds: parsed.writeIds ?? [] };
}

/**
 * Asserts that the record at `key` was written exactly `writes` times: its version is `writes`
 * (versions rise by one per applied write), and its history holds that many distinct write ids
 * (as many as it keeps).
 */
export async function expectWrittenTimes(
  expect: (actual: unknown) => Matchers,
  backend: StorageBackend,
  key: string,
  writes: number,
): Promise<void> {
  const { version, writeIds } = await storedHistory(backend, key);
  expect(version).toBe(writes);
  expect(writeIds).toHaveLength(Math.min(writes, WRITE_HISTORY_LENGTH));
  expect(new Set(writeIds).size).toBe(writeIds.length);
}

/** Asserts that `error` is the store's typed, retryable "outcome unknown" error (-32603). */
export function expectOutcomeUnknown(expect: (actual: unknown) => Matchers, error: unknown): void {
  expect(error).toBeInstanceOf(TaskOutcomeUnknownError);
  expect(error).toMatchObject({ name: 'TaskOutcomeUnknownError', code: -32603, retryable: true });
  expect((error as Error).cause).toBeInstanceOf(WriteOutcomeUnknownError);
}

/** The error `promise` rejects with, or `undefined` when it resolves. */
export function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}
