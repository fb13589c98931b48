import { defineConfig } from 'vitest/config';

/** Vitest runs the 2026-07-28 tests: the official ext-tasks client is an ES module jest cannot load. */
export default defineConfig({
  test: { include: ['test/**/*.vitest.ts'], testTimeout: 30_000 },
});
