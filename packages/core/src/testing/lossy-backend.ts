import type { StorageBackend, VersionedRecord } from '../backend/contract.js';
import { WriteOutcomeUnknownError } from '../backend/errors.js';
import { isErrorNamed } from '../records/storage-failures.js';
import { ContractOnlyBackend } from './contract-only-backend.js';

/** One write a `LossyBackend` was asked to make. */
export interface LossyWrite {
  /** The contract method called. */
  method: 'put' | 'putIfVersion';
  /** The key written. */
  key: string;
  /** The JSON text written. */
  data: string;
  /** The expected version of a `putIfVersion`; absent for `put`. */
  expectedVersion?: number;
  /** How many writes the backend was asked to make before this one (0 for the first). */
  index: number;
}

/** Decides which writes lose their answer. */
export type LossSelector = (write: LossyWrite) => boolean;

/** Options of `LossyBackend`. */
export interface LossyBackendOptions {
  /** Which writes lose their answer (default: every write). */
  loses?: LossSelector;
  /**
   * Whether the error carries the record as it stands after the write, as `current` (default
   * true): what a backend sees when its transport resent the write and the resend failed its
   * condition. When false, every answer was lost and the error carries no record.
   */
  carryCurrent?: boolean;
}

/**
 * Wraps any backend and, for the writes `loses` selects, applies the write on the inner backend
 * and then throws `WriteOutcomeUnknownError`, as a backend must when the write reached the
 * database but its answer was lost (a late response, a reset connection). The write landed
 * exactly once; whoever called cannot tell from the answer. A write the inner backend refuses
 * (a conflict, a missing record) fails as it would without the wrapper.
 */
export class LossyBackend extends ContractOnlyBackend {
  /** Writes asked for so far (`put` and `putIfVersion`). */
  writes = 0;
  /** Writes the inner backend applied. */
  applied = 0;
  /** Applied writes whose answer was lost. */
  lostAnswers = 0;
  private readonly loses: LossSelector;
  private readonly carryCurrent: boolean;

  constructor(inner: StorageBackend, options: LossyBackendOptions = {}) {
    super(inner);
    this.loses = options.loses ?? (() => true);
    this.carryCurrent = options.carryCurrent ?? true;
  }

  /** Applies the write; throws `WriteOutcomeUnknownError` instead of its version when selected. */
  override async put(key: string, data: string): Promise<number> {
    const write: LossyWrite = { method: 'put', key, data, index: this.writes };
    this.writes += 1;
    const version = await super.put(key, data);
    return this.answer(write, version);
  }

  /** Applies the write; throws `WriteOutcomeUnknownError` instead of its version when selected. */
  override async putIfVersion(key: string, data: string, expectedVersion: number): Promise<number> {
    const write: LossyWrite = {
      method: 'putIfVersion',
      key,
      data,
      expectedVersion,
      index: this.writes,
    };
    this.writes += 1;
    const version = await super.putIfVersion(key, data, expectedVersion);
    return this.answer(write, version);
  }

  private async answer(write: LossyWrite, version: number): Promise<number> {
    this.applied += 1;
    if (!this.loses(write)) return version;
    this.lostAnswers += 1;
    const cause = new Error('the answer to an applied write was lost (LossyBackend)');
    const current = this.carryCurrent ? await this.currentRecord(write.key) : undefined;
    throw new WriteOutcomeUnknownError(write.method, write.key, cause, current);
  }

  private async currentRecord(key: string): Promise<VersionedRecord | undefined> {
    try {
      return await this.inner.get(key);
    } catch (error) {
      if (isErrorNamed(error, 'NotFoundError')) return undefined;
      throw error;
    }
  }
}

/** Selects every `n`-th write: the `n`-th, the `2n`-th... (`n` a positive integer). */
export function everyNthWrite(n: number): LossSelector {
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new RangeError(`n must be a positive integer, got ${String(n)}`);
  }
  return (write) => (write.index + 1) % n === 0;
}

/**
 * Selects each write with probability `fraction`, drawn from a pseudo-random sequence seeded by
 * `seed`: the same seed selects the same writes in every run.
 */
export function seededWrites(fraction: number, seed: number): LossSelector {
  if (!(fraction >= 0 && fraction <= 1)) {
    throw new RangeError(`fraction must be between 0 and 1, got ${String(fraction)}`);
  }
  const random = seededRandom(seed);
  return () => random() < fraction;
}

/** A deterministic sequence of numbers in [0, 1) from a 32-bit seed (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
