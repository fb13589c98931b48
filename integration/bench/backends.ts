import type { KeyedRecord, StorageBackend, VersionedRecord } from '@tasks/core';

/**
 * The six contract methods of `backend` and nothing more: optional capabilities such as paged
 * listing are hidden, so the store falls back to what any backend offers.
 */
export function sixMethodsOnly(backend: StorageBackend): StorageBackend {
  return {
    get: (key) => backend.get(key),
    put: (key, data) => backend.put(key, data),
    putIfVersion: (key, data, expectedVersion) => backend.putIfVersion(key, data, expectedVersion),
    delete: (key) => backend.delete(key),
    listByPrefix: (prefix) => backend.listByPrefix(prefix),
    cleanupExpired: () => backend.cleanupExpired(),
  };
}

/** A backend that passes every call through and counts the `VersionConflictError`s of `putIfVersion`. */
export class ConflictCountingBackend implements StorageBackend {
  /** Conflicts seen so far: each one makes the store read and try again. */
  conflicts = 0;

  constructor(private readonly inner: StorageBackend) {}

  /** Passes through. */
  get(key: string): Promise<VersionedRecord> {
    return this.inner.get(key);
  }

  /** Passes through. */
  put(key: string, data: string): Promise<number> {
    return this.inner.put(key, data);
  }

  /** Passes through, counting a version conflict before rethrowing it. */
  async putIfVersion(key: string, data: string, expectedVersion: number): Promise<number> {
    try {
      return await this.inner.putIfVersion(key, data, expectedVersion);
    } catch (error) {
      if ((error as Error).name === 'VersionConflictError') this.conflicts += 1;
      throw error;
    }
  }

  /** Passes through. */
  delete(key: string): Promise<boolean> {
    return this.inner.delete(key);
  }

  /** Passes through. */
  listByPrefix(prefix: string): Promise<KeyedRecord[]> {
    return this.inner.listByPrefix(prefix);
  }

  /** Passes through. */
  cleanupExpired(): Promise<number> {
    return this.inner.cleanupExpired();
  }
}
