import type { StorageBackend } from '../backend/contract.js';
import type { BackendFactory, ResolvedConformanceOptions } from './conformance-context.js';
import type { TestRunner } from './runner.js';

/**
 * Registers the hooks of one conformance group: a backend from the factory before each test,
 * the user's teardown after the group. Returns a getter for the current test's backend.
 */
export function useBackend(
  { beforeEach, afterAll }: TestRunner,
  createBackend: BackendFactory,
  options: ResolvedConformanceOptions,
): () => StorageBackend {
  let backend: StorageBackend | undefined;
  beforeEach(async () => {
    backend = await createBackend();
  });
  afterAll(async () => {
    await options.teardown?.();
  });
  return () => {
    if (!backend) throw new Error('The backend factory has not run yet');
    return backend;
  };
}
