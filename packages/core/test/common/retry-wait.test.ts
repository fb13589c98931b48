import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { jitteredBackoff, retryAtOnce } from '../../src/common/retry-wait.js';

describe('jitteredBackoff', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  /** How long the wait after `attempt` takes on fake timers. */
  async function waitedMs(
    wait: (attempt: number) => Promise<void>,
    attempt: number,
  ): Promise<number> {
    const started = Date.now();
    let done = false;
    const waiting = wait(attempt).then(() => (done = true));
    await jest.advanceTimersToNextTimerAsync();
    await waiting;
    expect(done).toBe(true);
    return Date.now() - started;
  }

  it('waits a random share of a ceiling that doubles with each lost attempt, up to maxMs', async () => {
    const wait = jitteredBackoff({ baseMs: 2, maxMs: 20, random: () => 0.5 });
    expect(await waitedMs(wait, 1)).toBe(1);
    expect(await waitedMs(wait, 2)).toBe(2);
    expect(await waitedMs(wait, 3)).toBe(4);
    expect(await waitedMs(wait, 4)).toBe(8);
    expect(await waitedMs(wait, 5)).toBe(10);
    expect(await waitedMs(wait, 30)).toBe(10);
  });

  it('never waits as long as the ceiling (full jitter below it)', async () => {
    const wait = jitteredBackoff({ random: () => 0.999 });
    expect(await waitedMs(wait, 100)).toBeLessThan(50);
  });
});

describe('retryAtOnce', () => {
  it('resolves without a timer', async () => {
    jest.useFakeTimers();
    await expect(retryAtOnce(5)).resolves.toBeUndefined();
    expect(jest.getTimerCount()).toBe(0);
    jest.useRealTimers();
  });
});
