import type { Clock } from '../common/clock.js';
import type { Timers } from '../common/timers.js';

/** A callback waiting for the fake time to reach `at`. */
interface PendingTimer {
  at: number;
  order: number;
  callback: () => void;
}

/**
 * A clock, and timers on it, that move only when told to: for tests of expiry, polling and leases
 * without sleeping, and for demos. `advance` fires the timers that come due, in time order.
 */
export class FakeClock implements Clock, Timers {
  private readonly timers = new Map<number, PendingTimer>();
  private nextHandle = 1;

  constructor(private millis: number = Date.parse('2026-01-01T00:00:00.000Z')) {}

  /** The current fake time in epoch milliseconds. */
  now(): number {
    return this.millis;
  }

  /** Moves time forward by `ms` milliseconds, firing every timer that comes due on the way. */
  advance(ms: number): void {
    const target = this.millis + ms;
    for (let due = this.nextDue(target); due !== undefined; due = this.nextDue(target)) {
      this.millis = Math.max(this.millis, due.at);
      due.callback();
    }
    this.millis = target;
  }

  /**
   * Like `advance`, but lets promises settle after each timer fires (and once at the end), so
   * asynchronous work a timer starts (a poll, a renewal) finishes before the next timer fires.
   */
  async advanceAsync(ms: number): Promise<void> {
    const target = this.millis + ms;
    await settle();
    for (let due = this.nextDue(target); due !== undefined; due = this.nextDue(target)) {
      this.millis = Math.max(this.millis, due.at);
      due.callback();
      await settle();
    }
    this.millis = target;
    await settle();
  }

  /** Sets the time to `millis` epoch milliseconds (timers do not fire). */
  set(millis: number): void {
    this.millis = millis;
  }

  /** Calls `callback` once the fake time has moved `ms` milliseconds on. */
  setTimeout(callback: () => void, ms: number): unknown {
    const handle = this.nextHandle;
    this.nextHandle += 1;
    this.timers.set(handle, { at: this.millis + Math.max(0, ms), order: handle, callback });
    return handle;
  }

  /** Cancels a timer. */
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** How many timers are waiting. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Removes and returns the earliest timer due at or before `target`. */
  private nextDue(target: number): PendingTimer | undefined {
    let earliest: [number, PendingTimer] | undefined;
    for (const entry of this.timers) {
      const [, timer] = entry;
      if (timer.at > target) continue;
      if (
        earliest === undefined ||
        timer.at < earliest[1].at ||
        (timer.at === earliest[1].at && timer.order < earliest[1].order)
      ) {
        earliest = entry;
      }
    }
    if (earliest === undefined) return undefined;
    this.timers.delete(earliest[0]);
    return earliest[1];
  }
}

/** Lets every promise that can settle now settle. */
async function settle(): Promise<void> {
  for (let round = 0; round < 5; round += 1) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
