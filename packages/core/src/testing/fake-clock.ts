import type { Clock } from '../common/clock.js';

/** A clock that moves only when told to: for tests of expiry without sleeping, and for demos. */
export class FakeClock implements Clock {
  constructor(private millis: number = Date.parse('2026-01-01T00:00:00.000Z')) {}

  /** The current fake time in epoch milliseconds. */
  now(): number {
    return this.millis;
  }

  /** Moves time forward by `ms` milliseconds. */
  advance(ms: number): void {
    this.millis += ms;
  }

  /** Sets the time to `millis` epoch milliseconds. */
  set(millis: number): void {
    this.millis = millis;
  }
}
