import {
  type BackendFactory,
  type ConformanceOptions,
  resolveOptions,
} from './conformance-context.js';
import { describeConcurrency } from './concurrency.js';
import { describeExactlyOnce } from './exactly-once.js';
import { describeExpiry } from './expiry.js';
import { describeListing } from './listing.js';
import { describeLostAnswers } from './lost-answers.js';
import { describePayloads } from './payloads.js';
import type { TestRunner } from './runner.js';
import { describeVersioning } from './versioning.js';

/**
 * The `StorageBackend` contract as one suite, on any test runner whose globals you pass. Any
 * backend, ours or a user's, proves itself by calling this from a test file, for example under
 * vitest:
 *
 * ```ts
 * import { afterAll, beforeEach, describe, expect, it } from 'vitest';
 * defineBackendConformance({ describe, it, beforeEach, afterAll, expect }, 'MyBackend', () => new MyBackend());
 * ```
 *
 * Under jest, `describeBackendConformance` from `@tasks/core/testing/jest` does the same in one call.
 */
export function defineBackendConformance(
  runner: TestRunner,
  name: string,
  createBackend: BackendFactory,
  options: ConformanceOptions = {},
): void {
  const resolved = resolveOptions(options);
  runner.describe(`StorageBackend conformance: ${name}`, () => {
    describeVersioning(runner, createBackend, resolved);
    describeConcurrency(runner, createBackend, resolved);
    describeExactlyOnce(runner, createBackend, resolved);
    describeListing(runner, createBackend, resolved);
    describeExpiry(runner, createBackend, resolved);
    describePayloads(runner, createBackend, resolved);
    describeLostAnswers(runner, createBackend, resolved);
  });
}
