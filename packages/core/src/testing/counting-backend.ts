import type { KeyedRecord, StorageBackend, VersionedRecord } from '../backend/contract.js';
import { ContractOnlyBackend } from './contract-only-backend.js';

/** The six contract methods, by name. */
export type BackendMethod = keyof StorageBackend;

/**
 * Passes every contract method through and counts the calls per method, for asserting how many
 * backend requests an operation makes.
 */
export class CountingBackend extends ContractOnlyBackend {
  /** Calls so far, per method; a method never called is absent. */
  readonly calls: Partial<Record<BackendMethod, number>> = {};

  /** Forgets every count. */
  reset(): void {
    for (const method of Object.keys(this.calls) as BackendMethod[]) delete this.calls[method];
  }

  /** Calls of every method together. */
  get total(): number {
    return Object.values(this.calls).reduce((sum, count) => sum + count, 0);
  }

  override get(key: string): Promise<VersionedRecord> {
    this.count('get');
    return super.get(key);
  }

  override put(key: string, data: string): Promise<number> {
    this.count('put');
    return super.put(key, data);
  }

  override putIfVersion(key: string, data: string, expectedVersion: number): Promise<number> {
    this.count('putIfVersion');
    return super.putIfVersion(key, data, expectedVersion);
  }

  override delete(key: string): Promise<boolean> {
    this.count('delete');
    return super.delete(key);
  }

  override listByPrefix(prefix: string): Promise<KeyedRecord[]> {
    this.count('listByPrefix');
    return super.listByPrefix(prefix);
  }

  override cleanupExpired(): Promise<number> {
    this.count('cleanupExpired');
    return super.cleanupExpired();
  }

  private count(method: BackendMethod): void {
    this.calls[method] = (this.calls[method] ?? 0) + 1;
  }
}
