import type { StorageBackend, VersionedRecord } from '../backend/contract.js';
import { BackendError } from '../backend/errors.js';
import { deepFreeze } from '../common/json-limits.js';
import type { RetryWait } from '../common/retry-wait.js';
import { type CachedRecord, RecordCache } from './record-cache.js';
import { isErrorNamed } from './storage-failures.js';
import { newWriteId } from './write-id.js';

/** A record kept by `VersionedRecords`: a JSON object that carries the ids of its latest writes. */
export interface VersionedDocument {
  /** The ids of the latest writes, newest first; the first is the write that made this version. */
  writeIds?: readonly string[];
}

/** How one kind of record is read from and written to its JSON text. */
export interface RecordCodec<R> {
  /** The record stored as `data` at `key`; throws when the text is not such a record. */
  parse(key: string, data: string): R;
  /** The JSON text of `record`; throws (a limit error) when it is too large to store. */
  serialize(record: R): string;
}

/** What a change decides: the record to write (none: write nothing) and the value its caller gets. */
export interface ChangeResult<R, T> {
  /** The record to write in place of the current one; absent to leave it as it is. */
  next?: R;
  /** What the caller of `change` resolves with once the write (if any) has landed. */
  value: T;
}

/**
 * A change of one record: given the record as it stands (`undefined` when there is none), what to
 * write and answer. It throws to refuse. It may run more than once (after a conflict, on the newer
 * record), so it must depend on nothing but its argument.
 */
export type RecordChange<R, T> = (current: R | undefined) => ChangeResult<R, T>;

/** Options of `VersionedRecords`. */
export interface VersionedRecordsOptions {
  /** Where the records live. */
  backend: StorageBackend;
  /** Conditional writes tried per batch of changes before `conflictError`. */
  maxAttempts: number;
  /** Waits before each retry after a conflict. */
  retryWait: RetryWait;
  /** Records remembered with their last version (0 turns the cache off). */
  cacheSize: number;
  /** The error callers get when every attempt lost to other writers. */
  conflictError: (key: string, attempts: number) => Error;
  /** The error callers get for a storage failure (`error`) during `operation` at `key`. */
  storageError: (operation: string, key: string, error: unknown) => Error;
}

/** How many write ids a record carries: writes it can recognise as its own after losing an answer. */
export const WRITE_HISTORY_LENGTH = 8;

/** A stored record, parsed. */
type Base<R> = CachedRecord<R> | undefined;

/** One caller's change waiting in its record's lane. */
interface Member<R> {
  change: RecordChange<R, unknown>;
  expectAbsent: boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** How one member ends. */
type Settlement = { ok: true; value: unknown } | { ok: false; error: unknown };

/** A conditional write sent for a batch, with what its members get if it is the one that landed. */
interface Attempt {
  writeId: string;
  expectedVersion: number;
  settlements: Settlement[];
  /** Whether the backend could not say if it landed, and nothing has settled it since. */
  open: boolean;
}

/** The changes of one record waiting for their turn, and whether a batch is being written. */
interface Lane<R> {
  pending: Member<R>[];
  running: boolean;
}

/**
 * Records read, changed and written by compare-and-swap, shared by the task store and the message
 * queue so the guarantees are written once:
 *
 * - **One request per change** when this process wrote or read the record last: the cached version
 *   is the expected version of the conditional write (a stale one costs one failed write, which
 *   returns the current record). Reads always ask the backend.
 * - **Group commit**: concurrent changes of one record in this process are applied in order to one
 *   record and written together, so they never conflict with each other.
 * - **Exactly once**: every write carries a fresh write id and the record keeps its last
 *   `WRITE_HISTORY_LENGTH` ids. When the backend cannot say whether a write landed, the record read
 *   back settles it: our id in its history means it did; a history that covers the version we
 *   wrote without our id means it did not (and we retry); only when neither holds do callers get
 *   `storageError` of a `WriteOutcomeUnknownError`.
 */
export class VersionedRecords<R extends VersionedDocument> {
  private readonly cache: RecordCache<R>;
  private readonly lanes = new Map<string, Lane<R>>();

  constructor(
    private readonly codec: RecordCodec<R>,
    private readonly options: VersionedRecordsOptions,
  ) {
    this.cache = new RecordCache(options.cacheSize);
  }

  /**
   * Reads the record at `key` (a consistent read); `undefined` when there is none. A backend that
   * throws instead of rejecting fails the same way: the returned promise rejects with `storageError`.
   */
  read(key: string, operation: string): Promise<CachedRecord<R> | undefined> {
    let stored: Promise<VersionedRecord>;
    try {
      stored = this.options.backend.get(key);
    } catch (error) {
      stored = Promise.reject(error);
    }
    return stored.then(
      (stored) => {
        try {
          return this.remember(key, stored);
        } catch (error) {
          throw this.options.storageError(operation, key, error);
        }
      },
      (error: unknown) => {
        if (!isErrorNamed(error, 'NotFoundError')) {
          throw this.options.storageError(operation, key, error);
        }
        this.cache.delete(key);
        return undefined;
      },
    );
  }

  /**
   * Applies `change` to the record at `key` and writes the result, with every change of that record
   * made in this process meanwhile; resolves with the change's value once its write has landed (or
   * at once when it writes nothing, after a consistent read). `expectAbsent` says the record is
   * new: the first write is a create, with no read before it.
   */
  change<T>(
    key: string,
    operation: string,
    change: RecordChange<R, T>,
    expectAbsent = false,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let lane = this.lanes.get(key);
      if (lane === undefined) {
        lane = { pending: [], running: false };
        this.lanes.set(key, lane);
      }
      lane.pending.push({
        change: change as RecordChange<R, unknown>,
        expectAbsent,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      if (!lane.running) void this.drain(key, operation, lane);
    });
  }

  /**
   * The record as this process last read or wrote it, without asking the backend; `undefined`
   * when not cached. Only for facts that never change once true (a terminal status).
   */
  cached(key: string): R | undefined {
    return this.cache.get(key)?.record;
  }

  /** Forgets what the cache holds for `key` (after deleting the record elsewhere). */
  forget(key: string): void {
    this.cache.delete(key);
  }

  /**
   * Writes the lane's changes batch after batch until none is left. When storage fails, the batch
   * fails with that error, and every change that queued behind it fails too, with a `NotSentError`
   * (nothing of theirs was sent, let alone written), so a call never waits longer than the batch
   * ahead of it plus its own.
   */
  private async drain(key: string, operation: string, lane: Lane<R>): Promise<void> {
    lane.running = true;
    while (lane.pending.length > 0) {
      const batch = lane.pending.splice(0);
      try {
        await this.commit(key, operation, batch);
      } catch (error) {
        this.cache.delete(key);
        const failure = this.options.storageError(operation, key, error);
        for (const member of batch) member.reject(failure);
        const notSent = this.options.storageError(
          operation,
          key,
          new NotSentError(operation, key, error),
        );
        for (const member of lane.pending.splice(0)) member.reject(notSent);
      }
    }
    lane.running = false;
    this.lanes.delete(key);
  }

  /** Writes one batch, retrying on conflicts, and settles every member. */
  private async commit(key: string, operation: string, batch: Member<R>[]): Promise<void> {
    const cached = this.cache.get(key);
    let base: Base<R>;
    let fresh: boolean;
    if (cached !== undefined) {
      [base, fresh] = [cached, false];
    } else if (batch.every((member) => member.expectAbsent)) {
      [base, fresh] = [undefined, false];
    } else {
      [base, fresh] = [await this.load(key), true];
    }
    const attempts: Attempt[] = [];
    let unknownOutcome: unknown;
    for (;;) {
      const writeId = newWriteId();
      const fold = this.fold(batch, base, writeId);
      if (fold.next === undefined || fold.data === undefined) {
        if (!fresh) {
          [base, fresh] = [await this.load(key), true];
          continue;
        }
        settle(batch, fold.settlements);
        return;
      }
      const expectedVersion = base?.version ?? 0;
      const attempt: Attempt = {
        writeId,
        expectedVersion,
        settlements: fold.settlements,
        open: false,
      };
      attempts.push(attempt);
      let failure: unknown;
      try {
        const version = await this.options.backend.putIfVersion(key, fold.data, expectedVersion);
        this.cache.set(key, { record: deepFreeze(fold.next), version, data: fold.data });
        settle(batch, fold.settlements);
        return;
      } catch (error) {
        failure = error;
      }
      if (isErrorNamed(failure, 'WriteOutcomeUnknownError')) {
        attempt.open = true;
        unknownOutcome = failure;
      } else if (
        !isErrorNamed(failure, 'VersionConflictError') &&
        !isErrorNamed(failure, 'NotFoundError')
      ) {
        throw failure;
      }
      this.cache.delete(key);
      [base, fresh] = [await this.currentAfter(key, failure), true];
      const landed = attempts.find((candidate) => holdsWrite(base, candidate.writeId));
      if (landed !== undefined) {
        if (base?.record.writeIds?.[0] === landed.writeId) this.cache.set(key, base);
        settle(batch, landed.settlements);
        return;
      }
      for (const candidate of attempts) {
        if (candidate.open && provesNotLanded(base, candidate.expectedVersion))
          candidate.open = false;
      }
      const unsettled = attempts.some((candidate) => candidate.open);
      if (
        unsettled &&
        (!mayStillLand(base, attempts) || attempts.length >= this.options.maxAttempts)
      ) {
        throw unknownOutcome;
      }
      if (attempts.length >= this.options.maxAttempts) {
        for (const member of batch) member.reject(this.options.conflictError(key, attempts.length));
        return;
      }
      await this.options.retryWait(attempts.length);
    }
  }

  /**
   * Applies the batch in order to `base`, each member to the record the previous ones left, and
   * serializes the result with `writeId` added to its history. A member whose change throws, or
   * whose record would be too large, is refused alone; the others go on from the record before it.
   */
  private fold(
    batch: Member<R>[],
    base: Base<R>,
    writeId: string,
  ): { next?: R; data?: string; settlements: Settlement[] } {
    const writeIds = [writeId, ...(base?.record.writeIds ?? [])].slice(0, WRITE_HISTORY_LENGTH);
    let state = base?.record;
    let next: R | undefined;
    let data: string | undefined;
    const settlements: Settlement[] = [];
    for (const member of batch) {
      try {
        const result = member.change(state);
        if (result.next !== undefined) {
          const candidate: R = { ...result.next, writeIds };
          data = this.codec.serialize(candidate);
          state = candidate;
          next = candidate;
        }
        settlements.push({ ok: true, value: result.value });
      } catch (error) {
        settlements.push({ ok: false, error });
      }
    }
    return next === undefined ? { settlements } : { next, data, settlements };
  }

  /**
   * The record as it stands after a failed write: from the failure when it carries it, else read.
   * An unknown outcome that carries none is final: no attempt was answered, so a read would most
   * likely go unanswered too, and the caller gets the `WriteOutcomeUnknownError` at once.
   */
  private async currentAfter(key: string, failure: unknown): Promise<Base<R>> {
    if (isErrorNamed(failure, 'NotFoundError')) return undefined;
    const current = (failure as { current?: VersionedRecord }).current;
    if (current !== undefined) return this.remember(key, current);
    if (isErrorNamed(failure, 'WriteOutcomeUnknownError')) throw failure;
    return this.load(key);
  }

  /** A consistent read of `key`: the cached entry when the backend returned exactly its text. */
  private load(key: string): Promise<Base<R>> {
    return this.options.backend.get(key).then(
      (stored) => this.remember(key, stored),
      (error: unknown) => {
        if (!isErrorNamed(error, 'NotFoundError')) throw error;
        this.cache.delete(key);
        return undefined;
      },
    );
  }

  private remember(key: string, stored: VersionedRecord): CachedRecord<R> {
    const cached = this.cache.get(key);
    if (cached !== undefined && cached.version === stored.version && cached.data === stored.data) {
      return cached;
    }
    const entry = {
      record: deepFreeze(this.codec.parse(key, stored.data)),
      version: stored.version,
      data: stored.data,
    };
    this.cache.set(key, entry);
    return entry;
  }
}

/**
 * A change that was never sent: the write of the same record ahead of it failed. A `BackendError`
 * whose `cause` is that failure, so callers see the storage failure they would have met.
 */
export class NotSentError extends BackendError {
  constructor(operation: string, key: string, cause: unknown) {
    super(operation, key, cause);
    this.message = `Not sent, nothing written: the write at key '${key}' ahead of it failed (${cause instanceof Error ? cause.message : String(cause)})`;
    this.name = 'NotSentError';
  }
}

function settle<R>(batch: Member<R>[], settlements: Settlement[]): void {
  batch.forEach((member, index) => {
    const settlement = settlements[index] as Settlement;
    if (settlement.ok) member.resolve(settlement.value);
    else member.reject(settlement.error);
  });
}

/** Whether the record's history holds `writeId`. */
function holdsWrite<R extends VersionedDocument>(base: Base<R>, writeId: string): boolean {
  return base?.record.writeIds?.includes(writeId) ?? false;
}

/**
 * Whether `base` proves that a write expecting `expectedVersion` never landed and never will: the
 * version moved past it and the history reaches back to the version that write would have made.
 */
function provesNotLanded<R extends VersionedDocument>(
  base: Base<R>,
  expectedVersion: number,
): boolean {
  if (base === undefined) return false;
  const history = base.record.writeIds?.length ?? 0;
  return base.version > expectedVersion && base.version - expectedVersion <= history;
}

/**
 * Whether an open write may still land on `base` (it expected exactly this version): then the next
 * attempt, with the same expected version, settles it, since only one of the two can land.
 */
function mayStillLand<R extends VersionedDocument>(base: Base<R>, attempts: Attempt[]): boolean {
  const version = base?.version ?? 0;
  return attempts.every((attempt) => !attempt.open || attempt.expectedVersion === version);
}
