/**
 * The backend conformance suite under jest, in one call: `describeBackendConformance`.
 *
 * @module @tasks/core/testing/jest
 */
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { BackendFactory, ConformanceOptions } from './conformance-context.js';
import { defineBackendConformance } from './conformance.js';

/** The conformance suite under jest: `describeBackendConformance('MyBackend', () => new MyBackend())`. */
export function describeBackendConformance(
  name: string,
  createBackend: BackendFactory,
  options: ConformanceOptions = {},
): void {
  defineBackendConformance(
    { describe, it, beforeEach, afterAll, expect },
    name,
    createBackend,
    options,
  );
}
