import { describe } from '@jest/globals';
import {
  type BackendFactory,
  type ConformanceOptions,
  resolveOptions,
} from './conformance-context.js';
import { describeConcurrency } from './concurrency.js';
import { describeExpiry } from './expiry.js';
import { describeListing } from './listing.js';
import { describePayloads } from './payloads.js';
import { describeVersioning } from './versioning.js';

/**
 * The `StorageBackend` contract as one jest suite. Any backend, ours or a user's, proves itself
 * by calling this from a test file:
 *
 * ```ts
 * describeBackendConformance('MyBackend', () => new MyBackend());
 * ```
 */
export function describeBackendConformance(
  name: string,
  createBackend: BackendFactory,
  options: ConformanceOptions = {},
): void {
  const resolved = resolveOptions(options);
  describe(`StorageBackend conformance: ${name}`, () => {
    describeVersioning(createBackend, resolved);
    describeConcurrency(createBackend, resolved);
    describeListing(createBackend, resolved);
    describeExpiry(createBackend, resolved);
    describePayloads(createBackend, resolved);
  });
}
