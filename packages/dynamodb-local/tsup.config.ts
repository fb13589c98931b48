import { defineConfig } from 'tsup';

/**
 * ESM and CommonJS with declarations. `shims` gives the ESM build `__filename`, from which the
 * bundled jar's package is resolved; testcontainers, an optional peer, stays external.
 */
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: true,
  shims: true,
  target: 'node20',
  external: ['testcontainers'],
});
