// @ts-check
/**
 * TypeDoc: the API reference of every published package under packages/, one module per entry
 * point of its package.json `exports`, rendered to docs/api (`pnpm docs`) or only validated
 * (`pnpm docs:check`). An export without a doc comment, a broken `{@link}` or a type that an
 * entry point uses but does not export fails the run.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));

/**
 * The `types` path of one `exports` entry (`./dist/backend/index.d.ts`), under whatever
 * conditions (`import`, `require`) it is nested.
 * @param {unknown} target
 * @returns {string | undefined}
 */
function typesOf(target) {
  if (typeof target !== 'object' || target === null) return undefined;
  const { types } = /** @type {Record<string, unknown>} */ (target);
  if (typeof types === 'string') return types;
  for (const nested of Object.values(target)) {
    const found = typesOf(nested);
    if (found) return found;
  }
  return undefined;
}

/**
 * Every entry point of every published package: its package, the name users import
 * (`@tasks/core/backend`) and its source file (`packages/core/src/backend/index.ts`, from
 * `./dist/backend/index.d.ts`). Each must carry a module comment ending in `@module <name>`.
 * @returns {Array<{ packageName: string; specifier: string; source: string }>}
 */
function publishedEntryPoints() {
  const packagesDir = path.join(root, 'packages');
  return readdirSync(packagesDir).flatMap((folder) => {
    const manifestPath = path.join(packagesDir, folder, 'package.json');
    if (!existsSync(manifestPath)) return [];
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (manifest.private) return [];
    return Object.entries(manifest.exports ?? {}).flatMap(([subpath, target]) => {
      const types = typesOf(target);
      if (!types) return [];
      const source = path.join(
        packagesDir,
        folder,
        types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts'),
      );
      const specifier = `${manifest.name}${subpath.slice(1)}`;
      if (!existsSync(source)) {
        throw new Error(`${specifier}: no source ${path.relative(root, source)} for ${types}`);
      }
      if (!readFileSync(source, 'utf8').includes(`@module ${specifier}\n`)) {
        throw new Error(
          `${path.relative(root, source)} needs a module comment ending in \`@module ${specifier}\``,
        );
      }
      return [{ packageName: manifest.name, specifier, source }];
    });
  });
}

const entryPoints = publishedEntryPoints();

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  name: 'tasks',
  entryPoints: entryPoints.map((entry) => entry.source),
  tsconfig: 'tsconfig.typedoc.json',
  // Imports between the packages resolve to their sources, so types link across packages.
  compilerOptions: {
    paths: Object.fromEntries(entryPoints.map((entry) => [entry.specifier, [entry.source]])),
  },
  out: 'docs/api',
  readme: 'none',
  validation: { notExported: true, invalidLink: true, invalidPath: true, notDocumented: true },
  packagesRequiringDocumentation: [...new Set(entryPoints.map((entry) => entry.packageName))],
  treatValidationWarningsAsErrors: true,
};
