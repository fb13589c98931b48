import { GenericTaskStore, InMemoryBackend, recordKey, type StorageBackend } from '@tasks/core';

/** The owner every single-record sample is created for. */
const SAMPLE_OWNER = 'bench-sample-owner';

/**
 * A stored task record exactly as the store writes it on create (about 300 bytes of JSON with
 * an `expiresAt` one hour ahead), with the storage key it goes under.
 */
export async function sampleTaskRecord(): Promise<{ key: string; data: string }> {
  const backend = new InMemoryBackend();
  const store = new GenericTaskStore({ backend });
  const task = await store.create(SAMPLE_OWNER, {
    requestMethod: 'tools/call',
    variables: { progress: 0 },
  });
  const key = recordKey(SAMPLE_OWNER, task.taskId);
  return { key, data: (await backend.get(key)).data };
}

/** Runs `work(0)` to `work(count - 1)`, at most `inFlight` at a time; rejects on the first failure. */
export async function runBounded(
  count: number,
  inFlight: number,
  work: (index: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next;
      next += 1;
      await work(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));
}

/**
 * Creates `count` working tasks for `owner` through a store on `backend` that has no active-task
 * limit, 32 at a time.
 */
export async function seedTasks(
  backend: StorageBackend,
  owner: string,
  count: number,
): Promise<void> {
  const store = new GenericTaskStore({ backend, limits: { maxActiveTasksPerOwner: null } });
  await runBounded(count, 32, () => store.create(owner, { requestMethod: 'tools/call' }));
}
