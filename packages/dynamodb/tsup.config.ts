import { defineConfig } from 'tsup';

const shared = {
  sourcemap: true,
  splitting: true,
  target: 'node20',
  external: ['@tasks/core', /^@aws-sdk\//],
} as const;

/** Both builds run at once into dist/: the library build cleans it but keeps the CLI's files. */
export default defineConfig([
  {
    ...shared,
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: ['!cli.js', '!cli.js.map'],
  },
  {
    ...shared,
    entry: { cli: 'src/cli.ts' },
    format: ['esm'],
    banner: { js: '#!/usr/bin/env node' },
  },
]);
