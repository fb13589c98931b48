/** How a call ended and how long it took. */
export interface TimedOutcome {
  /** The rejection reason, or `undefined` when the call succeeded. */
  error: unknown;
  /** Whether the call failed. */
  failed: boolean;
  /** Wall time from the call to its settlement, in milliseconds. */
  elapsedMs: number;
}

/** Runs `call` and reports how it settled and how long that took. */
export async function timed(call: () => Promise<unknown>): Promise<TimedOutcome> {
  const startedAt = performance.now();
  try {
    await call();
    return { error: undefined, failed: false, elapsedMs: performance.now() - startedAt };
  } catch (error) {
    return { error, failed: true, elapsedMs: performance.now() - startedAt };
  }
}
