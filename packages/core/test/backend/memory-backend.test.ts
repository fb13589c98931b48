import { describe, expect, it } from '@jest/globals';
import { FakeClock } from '../../src/testing/fake-clock.js';
import { InMemoryBackend } from '../../src/backend/memory-backend.js';
import { CapacityExceededError, NotFoundError } from '../../src/backend/errors.js';
import { describeBackendConformance } from '../../src/testing/jest.js';

describeBackendConformance('InMemoryBackend', () => new InMemoryBackend(), {
  createBackendWithClock: (clock) => new InMemoryBackend({ clock }),
});

/** JSON text of a record expiring at `millis`. */
function expiringAt(millis: number, body: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...body, expiresAt: new Date(millis).toISOString() });
}

describe('InMemoryBackend on a fake clock', () => {
  it('hides a record the moment its expiresAt passes, and cleanupExpired then removes it', async () => {
    const clock = new FakeClock();
    const backend = new InMemoryBackend({ clock });
    await backend.put('o:a', expiringAt(clock.now() + 60_000));
    await backend.put('o:b', '{}');
    clock.advance(59_999);
    expect((await backend.get('o:a')).version).toBe(1);
    clock.advance(1);
    await expect(backend.get('o:a')).rejects.toBeInstanceOf(NotFoundError);
    expect((await backend.listByPrefix('o:')).map(([key]) => key)).toEqual(['o:b']);
    expect(await backend.cleanupExpired()).toBe(1);
    expect(await backend.cleanupExpired()).toBe(0);
    expect(await backend.put('o:a', '{}')).toBe(1);
  });
});

describe('InMemoryBackend capacity', () => {
  it('refuses a new key beyond maxRecords with CapacityExceededError, changing nothing', async () => {
    const backend = new InMemoryBackend({ maxRecords: 2 });
    await backend.put('o:a', '{"n":1}');
    await backend.put('o:b', '{"n":2}');
    const error = await backend.put('o:c', '{}').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CapacityExceededError);
    expect(error).toMatchObject({ name: 'CapacityExceededError', key: 'o:c' });
    await expect(backend.putIfVersion('o:c', '{}', 0)).rejects.toBeInstanceOf(
      CapacityExceededError,
    );
    expect(await backend.put('o:a', '{"n":3}')).toBe(2);
    expect((await backend.listByPrefix('o:')).map(([key]) => key)).toEqual(['o:a', 'o:b']);
  });

  it('makes room by removing expired records before refusing', async () => {
    const clock = new FakeClock();
    const backend = new InMemoryBackend({ clock, maxRecords: 2 });
    await backend.put('o:a', expiringAt(clock.now() + 1_000));
    await backend.put('o:b', '{}');
    clock.advance(1_000);
    expect(await backend.put('o:c', '{}')).toBe(1);
    expect((await backend.listByPrefix('o:')).map(([key]) => key)).toEqual(['o:b', 'o:c']);
  });

  it('rejects a maxRecords that is not a positive integer', () => {
    for (const maxRecords of [0, -1, 1.5]) {
      expect(() => new InMemoryBackend({ maxRecords })).toThrow(RangeError);
    }
  });
});
