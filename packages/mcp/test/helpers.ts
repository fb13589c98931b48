import {
  GenericTaskStore,
  type GenericTaskStoreOptions,
  InMemoryBackend,
  type StorageBackend,
} from '@tasks/core';
import { FakeClock } from '@tasks/core/testing';

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
