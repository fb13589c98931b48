import { readFileSync } from 'node:fs';
import path from 'node:path';
import { transformSync } from '@swc/core';

/** This package's README. */
export function readmeText(): string {
  return readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
}

/** The TypeScript blocks of the README section that starts with `heading`, up to the next `## `. */
export function tsBlocksOf(heading: string): string[] {
  const readme = readmeText();
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`The README has no section ${JSON.stringify(heading)}`);
  const end = readme.indexOf('\n## ', start + heading.length + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

/** The module specifiers a snippet imports from, in order. */
export function importedModules(snippet: string): string[] {
  return [...snippet.matchAll(/^import (?:type )?\{[^}]*\} from '([^']+)';$/gm)].map(
    (match) => match[1] ?? '',
  );
}

/**
 * Compiles `snippet` (TypeScript, named imports only) into a function and calls it with its
 * imports taken from `modules`; `import type` lines and `type` specifiers are dropped. Throws when
 * the snippet imports a module `modules` does not have.
 */
export function runSnippet(snippet: string, modules: Record<string, unknown>): void {
  const source = snippet.replace(
    /^import (type )?\{([^}]*)\} from '([^']+)';$/gm,
    (_line, typeOnly: string | undefined, imported: string, from: string) => {
      if (typeOnly) return '';
      if (!(from in modules)) throw new Error(`The snippet imports ${from}, which the test lacks`);
      const names = imported
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== '' && !name.startsWith('type '));
      return `const { ${names.join(', ')} } = modules[${JSON.stringify(from)}];`;
    },
  );
  const { code } = transformSync(`export default function run(modules) {\n${source}\n}`, {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  const exported: { default?: (modules: Record<string, unknown>) => void } = {};
  new Function('exports', code)(exported);
  if (!exported.default) throw new Error('The snippet did not compile to a function');
  exported.default(modules);
}
