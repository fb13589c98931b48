import { NotFoundError, VersionConflictError } from '../backend/errors.js';
import { useBackend } from './backend-hooks.js';
import type { TestRunner } from './runner.js';
import {
  type BackendFactory,
  freshKey,
  recordData,
  type ResolvedConformanceOptions,
} from './conformance-context.js';

/** Versions start at 1 and rise by one; CAS, missing keys and delete behave as the contract says. */
export function describeVersioning(
  runner: TestRunner,
  createBackend: BackendFactory,
  options: ResolvedConformanceOptions,
): void {
  const { describe, it, expect } = runner;
  describe('versioning, missing keys and delete', () => {
    const backend = useBackend(runner, createBackend, options);
    const timeout = options.timeoutMs;

    it(
      'starts a new key at version 1 and adds one per write',
      async () => {
        const key = freshKey();
        expect(await backend().put(key, recordData({ n: 1 }))).toBe(1);
        expect(await backend().put(key, recordData({ n: 2 }))).toBe(2);
        expect(await backend().putIfVersion(key, recordData({ n: 3 }), 2)).toBe(3);
        expect(await backend().get(key)).toEqual({ data: recordData({ n: 3 }), version: 3 });
      },
      timeout,
    );

    it(
      'rejects a stale putIfVersion with the real actual version and keeps the data',
      async () => {
        const key = freshKey();
        await backend().put(key, recordData({ n: 1 }));
        await backend().put(key, recordData({ n: 2 }));
        await backend().put(key, recordData({ n: 3 }));
        const error = await backend()
          .putIfVersion(key, recordData({ n: 'stale' }), 1)
          .then(
            () => undefined,
            (caught: unknown) => caught,
          );
        expect(error).toBeInstanceOf(VersionConflictError);
        expect(error).toMatchObject({ name: 'VersionConflictError', key, expected: 1, actual: 3 });
        expect(await backend().get(key)).toEqual({ data: recordData({ n: 3 }), version: 3 });
      },
      timeout,
    );

    it(
      'rejects a putIfVersion from a version ahead of the stored one',
      async () => {
        const key = freshKey();
        await backend().put(key, recordData({ n: 1 }));
        await expect(backend().putIfVersion(key, recordData({ n: 2 }), 5)).rejects.toMatchObject({
          name: 'VersionConflictError',
          expected: 5,
          actual: 1,
        });
        expect((await backend().get(key)).version).toBe(1);
      },
      timeout,
    );

    it(
      'throws NotFoundError naming the key for get and putIfVersion on a missing key',
      async () => {
        const key = freshKey('missing');
        const getError = await backend()
          .get(key)
          .then(
            () => undefined,
            (caught: unknown) => caught,
          );
        expect(getError).toBeInstanceOf(NotFoundError);
        expect(getError).toMatchObject({ name: 'NotFoundError', key });
        await expect(backend().putIfVersion(key, recordData({}), 1)).rejects.toBeInstanceOf(
          NotFoundError,
        );
        await expect(backend().get(key)).rejects.toBeInstanceOf(NotFoundError);
      },
      timeout,
    );

    it(
      'deletes: true when the key existed, false after, and a new put starts again at 1',
      async () => {
        const key = freshKey();
        await backend().put(key, recordData({ n: 1 }));
        await backend().put(key, recordData({ n: 2 }));
        expect(await backend().delete(key)).toBe(true);
        await expect(backend().get(key)).rejects.toBeInstanceOf(NotFoundError);
        expect(await backend().delete(key)).toBe(false);
        await expect(backend().putIfVersion(key, recordData({}), 2)).rejects.toBeInstanceOf(
          NotFoundError,
        );
        expect(await backend().put(key, recordData({ n: 3 }))).toBe(1);
      },
      timeout,
    );

    it(
      'creates a missing key with putIfVersion from version 0, and refuses when the key exists',
      async () => {
        const key = freshKey();
        expect(await backend().putIfVersion(key, recordData({ n: 1 }), 0)).toBe(1);
        expect(await backend().get(key)).toEqual({ data: recordData({ n: 1 }), version: 1 });
        const error = await backend()
          .putIfVersion(key, recordData({ n: 'again' }), 0)
          .then(
            () => undefined,
            (caught: unknown) => caught,
          );
        expect(error).toBeInstanceOf(VersionConflictError);
        expect(error).toMatchObject({ key, expected: 0, actual: 1 });
        expect(await backend().putIfVersion(key, recordData({ n: 2 }), 1)).toBe(2);
        expect(await backend().get(key)).toEqual({ data: recordData({ n: 2 }), version: 2 });
      },
      timeout,
    );

    it(
      'refuses an expected version that is not a non-negative integer, writing nothing',
      async () => {
        const key = freshKey();
        await backend().put(key, recordData({ n: 1 }));
        for (const expected of [1.5, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
          await expect(
            backend().putIfVersion(key, recordData({ n: 'bad' }), expected),
          ).rejects.toBeInstanceOf(RangeError);
        }
        expect(await backend().get(key)).toEqual({ data: recordData({ n: 1 }), version: 1 });
      },
      timeout,
    );

    it(
      'returns false when deleting a key that never existed',
      async () => {
        expect(await backend().delete(freshKey('never'))).toBe(false);
      },
      timeout,
    );
  });
}
