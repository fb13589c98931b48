import { defineConfig } from 'vitest/config';

/**
 * Vitest runs the 2026-07-28 tests that use the official ext-tasks client, an ES module jest
 * cannot load: one DynamoDB endpoint for the run (as jest's global setup provides), one file at
 * a time so the processes they start have the machine to themselves.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.vitest.ts'],
    globalSetup: ['test/setup/vitest-global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
