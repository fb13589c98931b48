import { isPlainObject, serializeWithin } from '../common/json-limits.js';
import { toTaskError } from '../records/storage-failures.js';
import { VersionedRecords, type VersionedDocument } from '../records/versioned-records.js';
import { recordKey } from './keys.js';
import type { ResolvedStoreOptions } from './store-options.js';
import { LimitExceededError, TaskConflictError } from './task-errors.js';
import { UnreadableRecordError } from './task-record.js';

/** Key namespace of the per-owner active-task index: a partition listings never read. */
export const ACTIVE_INDEX_NAMESPACE = 'index';

/** The id of the index record inside its namespace. */
const ACTIVE_INDEX_ID = 'active';

/** Version of the stored index layout. */
export const ACTIVE_INDEX_SCHEMA = 1;

/**
 * How long a reserved task that does not exist yet still counts (its create may be in flight): a
 * create that crashed between reserving and writing holds its slot at most this long.
 */
export const RESERVATION_GRACE_MS = 30_000;

/** One counted task: when it expires (epoch ms, `null` for never) and when it was reserved. */
export interface ActiveEntry {
  expiresAt: number | null;
  reservedAt: number;
}

/** The index as stored: the owner's counted tasks by id. */
export interface ActiveIndexRecord extends VersionedDocument {
  schema: typeof ACTIVE_INDEX_SCHEMA;
  owner: string;
  entries: Record<string, ActiveEntry>;
}

/** Whether a counted task is still active: it exists, is not terminal and has not expired. */
export type ActivityCheck = (
  owner: string,
  taskId: string,
) => Promise<'active' | 'inactive' | 'missing'>;

/** The index is full: thrown inside a reservation so that the caller prunes it and tries again. */
class IndexFull extends Error {
  constructor(readonly entries: Record<string, ActiveEntry>) {
    super('active-task index full');
  }
}

/**
 * The exact per-owner limit on active tasks, without reading the owner's history: one record per
 * owner lists the tasks counted against the limit, and every create reserves its slot there by
 * compare-and-swap before writing the task, so parallel creates on any number of instances never
 * pass the limit. Finishing a task costs nothing here: when the index is full, the store checks the
 * counted tasks once (one read each) and drops those that ended, expired or never came to be.
 */
export class ActiveTaskIndex {
  private readonly records: VersionedRecords<ActiveIndexRecord>;
  private readonly pruning = new Map<string, Promise<void>>();

  constructor(
    private readonly options: ResolvedStoreOptions,
    private readonly activityOf: ActivityCheck,
  ) {
    this.records = new VersionedRecords<ActiveIndexRecord>(
      {
        parse: parseIndexRecord,
        serialize: (record) =>
          serializeWithin(record, options.limits.maxRecordBytes, 'Active-task index'),
      },
      {
        backend: options.backend,
        maxAttempts: options.maxAttempts,
        retryWait: options.retryWait,
        cacheSize: options.cacheSize,
        conflictError: (key, attempts) => new TaskConflictError(key, attempts),
        storageError: toTaskError,
      },
    );
  }

  /**
   * Counts `taskId` against the owner's limit of `max` active tasks, or throws
   * `LimitExceededError('activeTasks')` when the owner already has `max`.
   */
  async reserve(
    owner: string,
    taskId: string,
    expiresAt: number | null,
    max: number,
  ): Promise<void> {
    const key = indexKey(owner);
    for (let round = 0; ; round += 1) {
      try {
        await this.records.change(key, 'create', (current) => {
          const now = this.options.clock.now();
          const entries = liveEntries(current, now);
          if (Object.keys(entries).length >= max) throw new IndexFull(entries);
          const entry: ActiveEntry = { expiresAt, reservedAt: now };
          return {
            next: {
              schema: ACTIVE_INDEX_SCHEMA,
              owner,
              entries: { ...entries, [taskId]: entry },
            },
            value: undefined,
          };
        });
        return;
      } catch (error) {
        if (!(error instanceof IndexFull)) throw error;
        const count = Object.keys(error.entries).length;
        if (round > 0) {
          throw new LimitExceededError(
            'activeTasks',
            count,
            max,
            `Owner already has ${count} active tasks; the limit is ${max}`,
          );
        }
        await this.prune(owner, error.entries);
      }
    }
  }

  /** Drops the counted tasks that are no longer active; one prune per owner at a time. */
  private prune(owner: string, entries: Record<string, ActiveEntry>): Promise<void> {
    const key = indexKey(owner);
    const running = this.pruning.get(key);
    if (running !== undefined) return running;
    const pruned = this.findInactive(owner, entries)
      .then((inactive) => this.drop(key, inactive))
      .finally(() => this.pruning.delete(key));
    this.pruning.set(key, pruned);
    return pruned;
  }

  private async findInactive(
    owner: string,
    entries: Record<string, ActiveEntry>,
  ): Promise<string[]> {
    const now = this.options.clock.now();
    const checked = await Promise.all(
      Object.entries(entries).map(async ([taskId, entry]) => {
        const activity = await this.activityOf(owner, taskId);
        const stillCreating =
          activity === 'missing' && now - entry.reservedAt < RESERVATION_GRACE_MS;
        return activity === 'active' || stillCreating ? [] : [taskId];
      }),
    );
    return checked.flat();
  }

  private async drop(key: string, inactive: string[]): Promise<void> {
    if (inactive.length === 0) return;
    await this.records.change(key, 'create', (current) => {
      if (current === undefined) return { value: undefined };
      const entries = Object.fromEntries(
        Object.entries(current.entries).filter(([taskId]) => !inactive.includes(taskId)),
      );
      return { next: { ...current, entries }, value: undefined };
    });
  }
}

/** The key of the owner's active-task index. */
export function indexKey(owner: string): string {
  return recordKey(owner, ACTIVE_INDEX_ID, ACTIVE_INDEX_NAMESPACE);
}

/** The index's entries that have not expired at `now`. */
function liveEntries(
  record: ActiveIndexRecord | undefined,
  now: number,
): Record<string, ActiveEntry> {
  if (record === undefined) return {};
  return Object.fromEntries(
    Object.entries(record.entries).filter(
      ([, entry]) => entry.expiresAt === null || entry.expiresAt > now,
    ),
  );
}

function parseIndexRecord(key: string, data: string): ActiveIndexRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch (error) {
    throw new UnreadableRecordError(key, `not JSON (${(error as Error).message})`);
  }
  if (
    !isPlainObject(parsed) ||
    parsed.schema !== ACTIVE_INDEX_SCHEMA ||
    typeof parsed.owner !== 'string' ||
    !isPlainObject(parsed.entries)
  ) {
    throw new UnreadableRecordError(key, 'not an active-task index');
  }
  return parsed as unknown as ActiveIndexRecord;
}
