import type { KeyedRecord, StorageBackend, VersionedRecord } from '../src/backend.js';
import { InMemoryBackend } from '../src/memory-backend.js';
import { GenericTaskStore } from '../src/store.js';
import type { GenericTaskStoreOptions } from '../src/store-options.js';
import { ContractOnlyBackend } from '../src/contract-only-backend.js';
import { FakeClock } from '../src/fake-clock.js';

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

/** Counts calls per method, for asserting how many backend requests an operation makes. */
export class CountingBackend extends ContractOnlyBackend {
  readonly calls: Record<string, number> = {};

  static wrap(inner: StorageBackend): CountingBackend {
    const counting = new CountingBackend(inner);
    for (const method of [
      'get',
      'put',
      'putIfVersion',
      'delete',
      'listByPrefix',
      'cleanupExpired',
    ] as const) {
      const original = counting[method].bind(counting) as (...args: unknown[]) => Promise<unknown>;
      (counting as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        counting.calls[method] = (counting.calls[method] ?? 0) + 1;
        return original(...args);
      };
    }
    return counting;
  }
}
