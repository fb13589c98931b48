import { NotFoundError, VersionConflictError } from '../backend/errors.js';
import { useBackend } from './backend-hooks.js';
import {
  type BackendFactory,
  freshKey,
  recordData,
  type ResolvedConformanceOptions,
} from './conformance-context.js';
import type { TestRunner } from './runner.js';

/**
 * Exactly-once conditional writes: a resent write that already landed succeeds again without a
 * second application, and a conflict carries the real current record when the backend offers one.
 */
export function describeExactlyOnce(
  runner: TestRunner,
  createBackend: BackendFactory,
  options: ResolvedConformanceOptions,
): void {
  const { describe, it, expect } = runner;
  describe('exactly-once writes', () => {
    const backend = useBackend(runner, createBackend, options);
    const timeout = options.timeoutMs;

    it(
      'answers a resent putIfVersion that already landed with its version, writing nothing more',
      async () => {
        const key = freshKey();
        const created = recordData({ n: 1, write: 'a' });
        expect(await backend().putIfVersion(key, created, 0)).toBe(1);
        expect(await backend().putIfVersion(key, created, 0)).toBe(1);
        const updated = recordData({ n: 2, write: 'b' });
        expect(await backend().putIfVersion(key, updated, 1)).toBe(2);
        expect(await backend().putIfVersion(key, updated, 1)).toBe(2);
        expect(await backend().get(key)).toEqual({ data: updated, version: 2 });
      },
      timeout,
    );

    it(
      'refuses a resend once another write followed it: the first landed, the resend is a conflict',
      async () => {
        const key = freshKey();
        const mine = recordData({ write: 'mine' });
        await backend().putIfVersion(key, mine, 0);
        const theirs = recordData({ write: 'theirs' });
        await backend().putIfVersion(key, theirs, 1);
        const error = await backend()
          .putIfVersion(key, mine, 0)
          .then(
            () => undefined,
            (caught: unknown) => caught,
          );
        expect(error).toBeInstanceOf(VersionConflictError);
        expect(error).toMatchObject({ expected: 0, actual: 2 });
        expect(await backend().get(key)).toEqual({ data: theirs, version: 2 });
      },
      timeout,
    );

    it(
      'carries, when it carries one, the real current record on a conflict',
      async () => {
        const key = freshKey();
        const current = recordData({ write: 'current' });
        await backend().putIfVersion(key, recordData({ write: 'first' }), 0);
        await backend().putIfVersion(key, current, 1);
        const error = (await backend()
          .putIfVersion(key, recordData({ write: 'stale' }), 1)
          .then(
            () => undefined,
            (caught: unknown) => caught,
          )) as VersionConflictError;
        expect(error).toBeInstanceOf(VersionConflictError);
        if (error.current !== undefined) {
          expect(error.current).toEqual({ data: current, version: 2 });
        }
      },
      timeout,
    );

    it(
      'does not take a resend for the write of a record that is gone',
      async () => {
        const key = freshKey();
        const data = recordData({ write: 'gone' });
        await backend().putIfVersion(key, data, 0);
        await backend().delete(key);
        expect(await backend().putIfVersion(key, data, 0)).toBe(1);
        await backend().delete(key);
        await expect(backend().putIfVersion(key, data, 1)).rejects.toBeInstanceOf(NotFoundError);
      },
      timeout,
    );
  });
}
