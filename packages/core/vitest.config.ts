import { defineConfig } from 'vitest/config';

/** Vitest runs only the conformance suite, to prove `@tasks/core/testing` works outside jest. */
export default defineConfig({
  test: { include: ['test/**/*.vitest.ts'] },
});
