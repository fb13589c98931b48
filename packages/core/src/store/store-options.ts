import type { StorageBackend } from '../backend/contract.js';
import { type Clock, systemClock } from '../common/clock.js';
import { jitteredBackoff, type RetryWait } from '../common/retry-wait.js';

/** Input limits, each enforced before any write. */
export interface TaskLimits {
  /** Deepest nesting of objects and arrays in a variable value or result (default 32). */
  maxVariableDepth: number;
  /** Longest string (value or object key) in variables, results and status messages (default 65,536). */
  maxStringLength: number;
  /** Largest serialized task record in UTF-8 bytes (default 350,000: DynamoDB's 400 KB item with room). */
  maxRecordBytes: number;
  /** Most non-terminal, unexpired tasks one owner may hold; `null` for no limit (default 100). */
  maxActiveTasksPerOwner: number | null;
  /** Largest page a listing may ask for (default 1,000). */
  maxPageSize: number;
}

/** Options of `GenericTaskStore`; only `backend` is required. */
export interface GenericTaskStoreOptions {
  /** Where tasks are stored. */
  backend: StorageBackend;
  /** Time source for timestamps and expiry (default: system time). */
  clock?: Clock;
  /** TTL of a task created without one, in milliseconds (default 1 hour, or `maxTtlMs` when lower). */
  defaultTtlMs?: number;
  /** Longest TTL granted; longer requests are clamped to it (default 24 hours). */
  maxTtlMs?: number;
  /** Whether a task may ask for an unlimited (`null`) TTL; when not, `null` is clamped to `maxTtlMs` (default false). */
  allowUnlimitedTtl?: boolean;
  /** Poll interval suggested for tasks created without one, in milliseconds (default 1,000). */
  defaultPollIntervalMs?: number;
  /** Tasks per listing page when the caller does not say (default 50). */
  pageSize?: number;
  /** Compare-and-swap attempts per mutation before `TaskConflictError` (default 100). */
  maxAttempts?: number;
  /** Waits before each compare-and-swap retry (default: `jitteredBackoff()`, at most 50 ms). */
  retryWait?: RetryWait;
  /**
   * Tasks whose last version this store remembers (default 1,000; 0 turns it off). The cached
   * version is only the expected version of the next conditional write, so a change by the store
   * that wrote last is one request; a stale entry costs one failed write, never a wrong result.
   */
  cacheSize?: number;
  /** Input limits; unspecified ones keep their defaults. */
  limits?: Partial<TaskLimits>;
  /** Told about a stored record a listing skipped because it could not be read. */
  onUnreadableRecord?: (key: string, error: Error) => void;
}

/** The options with every default filled in. */
export type ResolvedStoreOptions = Required<Omit<GenericTaskStoreOptions, 'limits'>> & {
  /** Every limit, defaults filled in. */
  limits: TaskLimits;
};

/** The default input limits. */
export const DEFAULT_LIMITS: Readonly<TaskLimits> = Object.freeze({
  maxVariableDepth: 32,
  maxStringLength: 65_536,
  maxRecordBytes: 350_000,
  maxActiveTasksPerOwner: 100,
  maxPageSize: 1_000,
});

/** Fills in defaults and rejects nonsensical settings with a `RangeError`. */
export function resolveStoreOptions(options: GenericTaskStoreOptions): ResolvedStoreOptions {
  if (!options || typeof options.backend !== 'object' || options.backend === null) {
    throw new TypeError('GenericTaskStore needs a backend');
  }
  const limits: TaskLimits = { ...DEFAULT_LIMITS, ...definedOnly(options.limits ?? {}) };
  const maxTtlMs = options.maxTtlMs ?? 86_400_000;
  const resolved: ResolvedStoreOptions = {
    backend: options.backend,
    clock: options.clock ?? systemClock,
    defaultTtlMs: options.defaultTtlMs ?? Math.min(3_600_000, maxTtlMs),
    maxTtlMs,
    allowUnlimitedTtl: options.allowUnlimitedTtl ?? false,
    defaultPollIntervalMs: options.defaultPollIntervalMs ?? 1_000,
    pageSize: options.pageSize ?? 50,
    maxAttempts: options.maxAttempts ?? 100,
    retryWait: options.retryWait ?? jitteredBackoff(),
    cacheSize: options.cacheSize ?? 1_000,
    limits,
    onUnreadableRecord: options.onUnreadableRecord ?? (() => undefined),
  };
  requirePositiveSetting('maxTtlMs', resolved.maxTtlMs);
  if (resolved.maxTtlMs > MAX_TTL_SETTING_MS) {
    throw new RangeError(
      `maxTtlMs must be at most ${MAX_TTL_SETTING_MS} (100 years), got ${resolved.maxTtlMs}`,
    );
  }
  requirePositiveSetting('defaultTtlMs', resolved.defaultTtlMs);
  requireNonNegativeSetting('cacheSize', resolved.cacheSize);
  requirePositiveSetting('defaultPollIntervalMs', resolved.defaultPollIntervalMs);
  requirePositiveSetting('pageSize', resolved.pageSize);
  requirePositiveSetting('maxAttempts', resolved.maxAttempts);
  requirePositiveSetting('limits.maxVariableDepth', limits.maxVariableDepth);
  requirePositiveSetting('limits.maxStringLength', limits.maxStringLength);
  requirePositiveSetting('limits.maxRecordBytes', limits.maxRecordBytes);
  requirePositiveSetting('limits.maxPageSize', limits.maxPageSize);
  if (limits.maxActiveTasksPerOwner !== null) {
    requirePositiveSetting('limits.maxActiveTasksPerOwner', limits.maxActiveTasksPerOwner);
  }
  if (resolved.defaultTtlMs > resolved.maxTtlMs) {
    throw new RangeError('defaultTtlMs must not exceed maxTtlMs');
  }
  if (resolved.pageSize > limits.maxPageSize) {
    throw new RangeError('pageSize must not exceed limits.maxPageSize');
  }
  return resolved;
}

/** The longest `maxTtlMs` accepted: 100 years, so every expiry is a valid date. */
export const MAX_TTL_SETTING_MS = 100 * 365 * 86_400_000;

/** Returns `value`, or throws a `RangeError` naming the setting unless it is a non-negative integer. */
export function requireNonNegativeSetting(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

/** Returns `value`, or throws a `RangeError` naming the setting unless it is a positive integer. */
export function requirePositiveSetting(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>;
}
