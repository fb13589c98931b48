/** A source of the current time, injected wherever time matters so tests need no sleeping. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** The clock every component uses unless given another: the system time. */
export const systemClock: Clock = { now: () => Date.now() };
