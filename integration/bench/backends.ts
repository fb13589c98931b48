import { ContractOnlyBackend } from '@tasks/core/testing';

/**
 * A backend that passes the six contract methods through (hiding paged listing, which the
 * contention part does not use) and counts the `VersionConflictError`s of `putIfVersion`.
 */
export class ConflictCountingBackend extends ContractOnlyBackend {
  /** Conflicts seen so far: each one makes the store read and try again. */
  conflicts = 0;

  /** Passes through, counting a version conflict before rethrowing it. */
  override async putIfVersion(key: string, data: string, expectedVersion: number): Promise<number> {
    try {
      return await this.inner.putIfVersion(key, data, expectedVersion);
    } catch (error) {
      if ((error as Error).name === 'VersionConflictError') this.conflicts += 1;
      throw error;
    }
  }
}
