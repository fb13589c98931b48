/** Waits before a compare-and-swap retry; `attempt` is the number of the attempt that just lost (1, 2...). */
export type RetryWait = (attempt: number) => Promise<void>;

/** Options of `jitteredBackoff`. */
export interface JitteredBackoffOptions {
  /** The ceiling of the first wait, in ms (default 1); it doubles with every lost attempt. */
  baseMs?: number;
  /** The largest ceiling, in ms (default 50). */
  maxMs?: number;
  /** A number in [0, 1) (default `Math.random`). */
  random?: () => number;
}

/**
 * Exponential backoff with full jitter: after the n-th lost attempt, waits a random time below
 * `min(maxMs, baseMs * 2^(n-1))`, so writers that lost to each other spread out instead of
 * colliding again at once.
 */
export function jitteredBackoff(options: JitteredBackoffOptions = {}): RetryWait {
  const baseMs = options.baseMs ?? 1;
  const maxMs = options.maxMs ?? 50;
  const random = options.random ?? Math.random;
  return (attempt) => {
    const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
    const ms = random() * ceiling;
    return new Promise((resolve) => setTimeout(resolve, ms));
  };
}

/** Retries without waiting: for tests, and for stores with a single writer per task. */
export const retryAtOnce: RetryWait = async () => undefined;
