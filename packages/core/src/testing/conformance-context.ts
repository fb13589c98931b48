import { randomUUID } from 'node:crypto';
import type { StorageBackend } from '../backend/contract.js';
import type { Clock } from '../common/clock.js';
import { ownerPrefix } from '../store/keys.js';

/** Builds the backend under test; called once per test. Reusing one backend (one table) is fine. */
export type BackendFactory = () => StorageBackend | Promise<StorageBackend>;

/** Builds the backend under test on a given clock, for the tests of expiry to the millisecond. */
export type ClockedBackendFactory = (clock: Clock) => StorageBackend | Promise<StorageBackend>;

/** How a backend differs from the reference; every field has the reference behaviour as default. */
export interface ConformanceOptions {
  /**
   * Builds the backend on a clock the suite moves, for the tests that a record lives to the exact
   * millisecond of its `expiresAt` (they are skipped without it: give it whenever the backend
   * takes a clock, as `InMemoryBackend` and `DynamoDbBackend` do).
   */
  createBackendWithClock?: ClockedBackendFactory;
  /** The largest JSON text, in UTF-8 bytes, the backend must round-trip (default 350,000). */
  maxRecordBytes?: number;
  /** Parallel writers in the concurrency tests (default 25). */
  concurrency?: number;
  /** Whether `cleanupExpired` physically removes expired records and counts them (default true). */
  cleanupRemovesExpired?: boolean;
  /** Whether the backend implements the optional `PagedListing` capability (default true). */
  pagedListing?: boolean;
  /** Per-test timeout in milliseconds (default 30,000). */
  timeoutMs?: number;
  /**
   * Called after each group of the suite (versioning, concurrency, listing, expiry, payloads) has
   * run, to release what the factory made (drop a table, close clients); the next group's first
   * factory call may then make it anew.
   */
  teardown?: () => void | Promise<void>;
}

/** The options with every default filled in. */
export type ResolvedConformanceOptions = Required<
  Omit<ConformanceOptions, 'teardown' | 'createBackendWithClock'>
> &
  Pick<ConformanceOptions, 'teardown' | 'createBackendWithClock'>;

/** Fills in the defaults of `options`. */
export function resolveOptions(options: ConformanceOptions = {}): ResolvedConformanceOptions {
  return {
    maxRecordBytes: options.maxRecordBytes ?? 350_000,
    concurrency: options.concurrency ?? 25,
    cleanupRemovesExpired: options.cleanupRemovesExpired ?? true,
    pagedListing: options.pagedListing ?? true,
    timeoutMs: options.timeoutMs ?? 30_000,
    teardown: options.teardown,
    createBackendWithClock: options.createBackendWithClock,
  };
}

/** A key prefix no other test uses, so tests never depend on each other. */
export function freshPrefix(label = 'owner'): string {
  return ownerPrefix(`${label}-${randomUUID()}`);
}

/** A key under a fresh prefix. */
export function freshKey(id = 'record'): string {
  return `${freshPrefix()}${id}`;
}

/** JSON text of a record with an optional expiry. */
export function recordData(body: Record<string, unknown>, expiresAtMillis?: number): string {
  return JSON.stringify(
    expiresAtMillis === undefined
      ? body
      : { ...body, expiresAt: new Date(expiresAtMillis).toISOString() },
  );
}

/** An hour, in milliseconds: far enough in the past or future that clock skew never matters. */
export const HOUR_MS = 3_600_000;
