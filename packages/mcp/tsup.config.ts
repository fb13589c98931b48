import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'sdk-v1/index': 'src/sdk-v1/index.ts',
    'client/index': 'src/client/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: true,
  target: 'node20',
  external: ['@tasks/core', 'zod', /^zod\//, /^@modelcontextprotocol\//],
});
