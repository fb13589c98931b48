import { StorageError } from '@tasks/core/backend';

/**
 * `createTable` found an existing table it cannot use (wrong key schema, TTL on another attribute,
 * a status that is not ACTIVE...) and changed nothing on it. `problems` lists every problem, in
 * the sentences `checkTable` uses.
 */
export class UnusableTableError extends StorageError {
  /** The problems, one readable sentence each; never empty. */
  readonly problems: readonly string[];

  constructor(
    /** The table, left as it was. */
    readonly tableName: string,
    problems: readonly string[],
  ) {
    super(
      `Table '${tableName}' exists but cannot be used, and nothing was changed on it: ${problems.join('; ')}`,
    );
    this.name = 'UnusableTableError';
    this.problems = [...problems];
  }
}
