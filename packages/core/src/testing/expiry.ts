import { NotFoundError } from '../backend/errors.js';
import { FakeClock } from './fake-clock.js';
import { useBackend } from './backend-hooks.js';
import type { TestRunner } from './runner.js';
import {
  type BackendFactory,
  freshKey,
  freshPrefix,
  HOUR_MS,
  recordData,
  type ResolvedConformanceOptions,
} from './conformance-context.js';

/** A record whose `expiresAt` has passed is gone for every operation; `cleanupExpired` counts. */
export function describeExpiry(
  runner: TestRunner,
  createBackend: BackendFactory,
  options: ResolvedConformanceOptions,
): void {
  const { describe, it, expect } = runner;
  describe('expiry', () => {
    const backend = useBackend(runner, createBackend, options);
    const timeout = options.timeoutMs;

    it(
      'returns a record whose expiresAt is in the future',
      async () => {
        const key = freshKey();
        const data = recordData({ live: true }, Date.now() + HOUR_MS);
        await backend().put(key, data);
        expect(await backend().get(key)).toEqual({ data, version: 1 });
      },
      timeout,
    );

    it(
      'never returns a record whose expiresAt has passed',
      async () => {
        const key = freshKey();
        await backend().put(key, recordData({ expired: true }, Date.now() - HOUR_MS));
        await expect(backend().get(key)).rejects.toBeInstanceOf(NotFoundError);
      },
      timeout,
    );

    it(
      'treats a record that an update made expired as missing for putIfVersion and delete',
      async () => {
        const key = freshKey();
        expect(await backend().put(key, recordData({ step: 1 }, Date.now() + HOUR_MS))).toBe(1);
        expect(
          await backend().putIfVersion(key, recordData({ step: 2 }, Date.now() - HOUR_MS), 1),
        ).toBe(2);
        await expect(backend().get(key)).rejects.toBeInstanceOf(NotFoundError);
        await expect(
          backend().putIfVersion(key, recordData({ step: 3 }), 2),
        ).rejects.toBeInstanceOf(NotFoundError);
        expect(await backend().delete(key)).toBe(false);
        await expect(backend().get(key)).rejects.toBeInstanceOf(NotFoundError);
      },
      timeout,
    );

    it(
      'lets a put bring an expired key back to life, continuing the version of the record still held',
      async () => {
        const key = freshKey();
        await backend().put(key, recordData({ old: true }, Date.now() - HOUR_MS));
        const data = recordData({ revived: true });
        const version = await backend().put(key, data);
        expect(version).toBe(2);
        expect(await backend().get(key)).toEqual({ data, version });
      },
      timeout,
    );

    it(
      'lets putIfVersion from version 0 create a key whose record expired',
      async () => {
        const key = freshKey();
        await backend().put(key, recordData({ old: true }, Date.now() - HOUR_MS));
        const data = recordData({ created: true });
        expect(await backend().putIfVersion(key, data, 0)).toBe(1);
        expect(await backend().get(key)).toEqual({ data, version: 1 });
      },
      timeout,
    );

    it(
      'removes an expiry when a later write has none',
      async () => {
        const key = freshKey();
        await backend().put(key, recordData({ step: 1 }, Date.now() + HOUR_MS));
        const data = recordData({ step: 2 });
        await backend().put(key, data);
        expect(await backend().get(key)).toEqual({ data, version: 2 });
      },
      timeout,
    );

    it(
      options.cleanupRemovesExpired
        ? 'cleanupExpired removes and counts expired records and keeps live ones'
        : 'cleanupExpired leaves removal to the database and keeps live records readable',
      async () => {
        const prefix = freshPrefix();
        const now = Date.now();
        for (let index = 0; index < 3; index += 1) {
          await backend().put(`${prefix}expired-${index}`, recordData({ index }, now - HOUR_MS));
        }
        const liveData = recordData({ live: true }, now + HOUR_MS);
        await backend().put(`${prefix}live`, liveData);
        const removed = await backend().cleanupExpired();
        if (options.cleanupRemovesExpired) {
          expect(removed).toBeGreaterThanOrEqual(3);
          expect(await backend().cleanupExpired()).toBe(0);
        } else {
          expect(removed).toBe(0);
        }
        expect(await backend().listByPrefix(prefix)).toEqual([
          [`${prefix}live`, { data: liveData, version: 1 }],
        ]);
      },
      timeout,
    );

    const withClock = options.createBackendWithClock;
    if (withClock === undefined) return;
    it(
      'keeps a record until the exact millisecond of its expiresAt, not a second early',
      async () => {
        const clock = new FakeClock(Date.parse('2026-06-01T12:00:00.600Z'));
        const clocked = await withClock(clock);
        const prefix = freshPrefix();
        const key = `${prefix}precise`;
        const data = recordData({ ttl: 1000 }, clock.now() + 1000);
        await clocked.put(key, data);
        clock.advance(500);
        expect(await clocked.get(key)).toEqual({ data, version: 1 });
        clock.advance(499);
        expect(await clocked.get(key)).toEqual({ data, version: 1 });
        expect(await clocked.listByPrefix(prefix)).toEqual([[key, { data, version: 1 }]]);
        const next = recordData({ ttl: 1000, step: 2 }, clock.now() + 1);
        expect(await clocked.putIfVersion(key, next, 1)).toBe(2);
        clock.advance(1);
        await expect(clocked.get(key)).rejects.toBeInstanceOf(NotFoundError);
        expect(await clocked.listByPrefix(prefix)).toEqual([]);
        await expect(clocked.putIfVersion(key, recordData({ step: 3 }), 2)).rejects.toBeInstanceOf(
          NotFoundError,
        );
        expect(await clocked.putIfVersion(key, recordData({ step: 4 }), 0)).toBe(1);
      },
      timeout,
    );
  });
}
