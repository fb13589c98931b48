import type { KeyedRecord, StorageBackend, VersionedRecord } from '../backend/contract.js';

/**
 * Passes the six contract methods through to `inner` and hides every optional capability (such as
 * paged listing), so a store on it takes the path any backend offers. Subclass it to observe or
 * disturb calls in tests.
 */
export class ContractOnlyBackend implements StorageBackend {
  constructor(
    /** The backend every call goes to. */
    protected readonly inner: StorageBackend,
  ) {}

  /** Passes through. */
  get(key: string): Promise<VersionedRecord> {
    return this.inner.get(key);
  }

  /** Passes through. */
  put(key: string, data: string): Promise<number> {
    return this.inner.put(key, data);
  }

  /** Passes through. */
  putIfVersion(key: string, data: string, expectedVersion: number): Promise<number> {
    return this.inner.putIfVersion(key, data, expectedVersion);
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
