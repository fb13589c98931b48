import type { KeyedRecord, StorageBackend, VersionedRecord } from '../src/backend/contract.js';
import { InMemoryBackend } from '../src/backend/memory-backend.js';
import { GenericTaskStore } from '../src/store/store.js';
import type { GenericTaskStoreOptions } from '../src/store/store-options.js';
import { ContractOnlyBackend, FakeClock } from '../src/testing/index.js';

/** A store on a fresh in-memory backend with a fake clock. */
export function makeStore(
  options: Partial<GenericTaskStoreOptions> = {},
  backendFor?: (inner: InMemoryBackend) => StorageBackend,
) {
  const clock = new FakeClock(Date.parse('2026-03-01T12:00:00.000Z'));
  const memory = new InMemoryBackend({ clock });
  const backend = backendFor ? backendFor(memory) : memory;
  const store = new GenericTaskStore({ backend, clock, ...options });
  return { store, backend, memory, clock };
}

/** Everything the backend holds under a prefix, for "nothing changed" assertions. */
export async function dump(backend: StorageBackend, prefix: string): Promise<KeyedRecord[]> {
  return backend.listByPrefix(prefix);
}

/**
 * Before each of the next `conflicts` conditional updates (creates, from version 0, pass untouched),
 * lets `interfere` write the record first, so the write meets a real version conflict and must
 * re-read and retry.
 */
export class InterferingBackend extends ContractOnlyBackend {
  conditionalWrites = 0;

  constructor(
    inner: StorageBackend,
    private conflicts: number,
    private readonly interfere: (key: string, current: VersionedRecord) => string = (
      _key,
      current,
    ) => current.data,
  ) {
    super(inner);
  }

  override async putIfVersion(key: string, data: string, expectedVersion: number): Promise<number> {
    this.conditionalWrites += 1;
    if (this.conflicts > 0 && expectedVersion > 0) {
      this.conflicts -= 1;
      const current = await this.inner.get(key);
      await this.inner.put(key, this.interfere(key, current));
    }
    return this.inner.putIfVersion(key, data, expectedVersion);
  }
}
