import { describe, expect, it } from '@jest/globals';
import { InMemoryBackend } from '../../src/backend/memory-backend.js';
import { VersionConflictError, WriteOutcomeUnknownError } from '../../src/backend/errors.js';
import {
  everyNthWrite,
  LossyBackend,
  type LossyWrite,
  seededRandom,
  seededWrites,
} from '../../src/testing/index.js';

function write(index: number): LossyWrite {
  return { method: 'putIfVersion', key: 'o:k', data: '{}', expectedVersion: 0, index };
}

describe('LossyBackend', () => {
  it('applies a selected write, then throws WriteOutcomeUnknownError carrying the record', async () => {
    const inner = new InMemoryBackend();
    const lossy = new LossyBackend(inner);
    const error = await lossy.putIfVersion('o:k', '{"n":1}', 0).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WriteOutcomeUnknownError);
    expect(error).toMatchObject({
      name: 'WriteOutcomeUnknownError',
      code: -32603,
      retryable: true,
      key: 'o:k',
      current: { data: '{"n":1}', version: 1 },
    });
    await expect(lossy.put('o:k', '{"n":2}')).rejects.toMatchObject({
      operation: 'put',
      current: { data: '{"n":2}', version: 2 },
    });
    expect(await inner.get('o:k')).toEqual({ data: '{"n":2}', version: 2 });
    expect({ writes: lossy.writes, applied: lossy.applied, lost: lossy.lostAnswers }).toEqual({
      writes: 2,
      applied: 2,
      lost: 2,
    });
  });

  it('carries no record when every answer was lost', async () => {
    const lossy = new LossyBackend(new InMemoryBackend(), { carryCurrent: false });
    const error = await lossy.putIfVersion('o:k', '{}', 0).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WriteOutcomeUnknownError);
    expect((error as WriteOutcomeUnknownError).current).toBeUndefined();
    expect((await lossy.get('o:k')).version).toBe(1);
  });

  it('answers the writes it does not select, and passes refusals through unchanged', async () => {
    const lossy = new LossyBackend(new InMemoryBackend(), { loses: everyNthWrite(2) });
    expect(await lossy.putIfVersion('o:k', '{"n":1}', 0)).toBe(1);
    await expect(lossy.putIfVersion('o:k', '{"n":9}', 0)).rejects.toBeInstanceOf(
      VersionConflictError,
    );
    await expect(lossy.putIfVersion('o:k', '{"n":2}', 1)).resolves.toBe(2);
    await expect(lossy.putIfVersion('o:k', '{"n":3}', 2)).rejects.toBeInstanceOf(
      WriteOutcomeUnknownError,
    );
    expect({ writes: lossy.writes, applied: lossy.applied, lost: lossy.lostAnswers }).toEqual({
      writes: 4,
      applied: 3,
      lost: 1,
    });
  });

  it('selects every n-th write, and refuses an n that is not a positive integer', () => {
    const third = everyNthWrite(3);
    expect([0, 1, 2, 3, 4, 5].map((index) => third(write(index)))).toEqual([
      false,
      false,
      true,
      false,
      false,
      true,
    ]);
    for (const n of [0, -1, 1.5, Number.NaN]) expect(() => everyNthWrite(n)).toThrow(RangeError);
  });

  it('selects the same writes for the same seed, about the fraction asked for', () => {
    const picks = (seed: number) => {
      const selector = seededWrites(0.25, seed);
      return Array.from({ length: 1_000 }, (_, index) => selector(write(index)));
    };
    expect(picks(7)).toEqual(picks(7));
    expect(picks(7)).not.toEqual(picks(8));
    const selected = picks(7).filter(Boolean).length;
    expect(selected).toBeGreaterThan(200);
    expect(selected).toBeLessThan(300);
    for (const fraction of [-0.1, 1.1, Number.NaN]) {
      expect(() => seededWrites(fraction, 1)).toThrow(RangeError);
    }
    const random = seededRandom(1);
    for (let n = 0; n < 100; n += 1) {
      const value = random();
      expect(value >= 0 && value < 1).toBe(true);
    }
  });
});
