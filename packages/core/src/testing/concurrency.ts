import { VersionConflictError } from '../backend/errors.js';
import { useBackend } from './backend-hooks.js';
import type { TestRunner } from './runner.js';
import {
  type BackendFactory,
  freshKey,
  recordData,
  type ResolvedConformanceOptions,
} from './conformance-context.js';

/** `put` is atomic and `putIfVersion` lets exactly one of many same-version writers win. */
export function describeConcurrency(
  runner: TestRunner,
  createBackend: BackendFactory,
  options: ResolvedConformanceOptions,
): void {
  const { describe, it, expect } = runner;
  describe('concurrency', () => {
    const backend = useBackend(runner, createBackend, options);
    const writers = options.concurrency;
    const timeout = options.timeoutMs;

    it(
      `gives ${writers} parallel puts on one key distinct versions 1..${writers}`,
      async () => {
        const key = freshKey();
        const versions = await Promise.all(
          Array.from({ length: writers }, (_, writer) =>
            backend().put(key, recordData({ writer })),
          ),
        );
        expect([...versions].sort((a, b) => a - b)).toEqual(
          Array.from({ length: writers }, (_, index) => index + 1),
        );
        expect((await backend().get(key)).version).toBe(writers);
      },
      timeout,
    );

    it(
      `lets exactly one of ${writers} parallel putIfVersion calls win; the others see the real version`,
      async () => {
        const key = freshKey();
        await backend().put(key, recordData({ writer: 'initial' }));
        const outcomes = await Promise.allSettled(
          Array.from({ length: writers }, (_, writer) =>
            backend().putIfVersion(key, recordData({ writer }), 1),
          ),
        );
        const winners = outcomes.flatMap((outcome, writer) =>
          outcome.status === 'fulfilled' ? [{ writer, version: outcome.value }] : [],
        );
        expect(winners).toHaveLength(1);
        expect(winners[0]?.version).toBe(2);
        for (const outcome of outcomes) {
          if (outcome.status === 'rejected') {
            expect(outcome.reason).toBeInstanceOf(VersionConflictError);
            expect(outcome.reason).toMatchObject({ key, expected: 1, actual: 2 });
          }
        }
        expect(await backend().get(key)).toEqual({
          data: recordData({ writer: winners[0]?.writer }),
          version: 2,
        });
      },
      timeout,
    );

    it(
      `lets exactly one of ${writers} parallel creates (putIfVersion from 0) win`,
      async () => {
        const key = freshKey();
        const outcomes = await Promise.allSettled(
          Array.from({ length: writers }, (_, writer) =>
            backend().putIfVersion(key, recordData({ writer }), 0),
          ),
        );
        const winners = outcomes.flatMap((outcome, writer) =>
          outcome.status === 'fulfilled' ? [{ writer, version: outcome.value }] : [],
        );
        expect(winners).toHaveLength(1);
        expect(winners[0]?.version).toBe(1);
        for (const outcome of outcomes) {
          if (outcome.status === 'rejected') {
            expect(outcome.reason).toBeInstanceOf(VersionConflictError);
            expect(outcome.reason).toMatchObject({ key, expected: 0, actual: 1 });
          }
        }
        expect(await backend().get(key)).toEqual({
          data: recordData({ writer: winners[0]?.writer }),
          version: 1,
        });
      },
      timeout,
    );
  });
}
