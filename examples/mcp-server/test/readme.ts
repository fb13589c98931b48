import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from '@swc/core';

/** The repository's front page, whose "Use it in your MCP server" snippets the tests run. */
export const ROOT_README = join(__dirname, '..', '..', '..', 'README.md');

/** The TypeScript blocks of the section of `readmePath` under `heading`, up to the next heading of its level or above. */
export function snippetsUnder(readmePath: string, heading: string): string[] {
  const readme = readFileSync(readmePath, 'utf8');
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`${readmePath} has no heading "${heading}"`);
  const level = /^#+/.exec(heading)?.[0].length ?? 2;
  const rest = readme.slice(start + heading.length + 2);
  const next = new RegExp(`^#{1,${level}} `, 'm').exec(rest);
  const section = next === null ? rest : rest.slice(0, next.index);
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

/**
 * Runs a snippet as a CommonJS module compiled by SWC, inside an async function so it may await at
 * its top level: its imports come from `modules` (one the test does not provide is an error), the
 * free variables a fragment uses from `given`. Resolves with the values of the top-level `names`
 * the snippet declares.
 */
export async function runSnippet(
  snippet: string,
  names: string[],
  modules: Record<string, unknown>,
  given: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const { code } = transformSync(`${snippet}\nexport { ${names.join(', ')} };`, {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  const load = (name: string): unknown => {
    if (!Object.hasOwn(modules, name)) throw new Error(`the snippet imports ${name}`);
    return modules[name];
  };
  const exported: Record<string, unknown> = {};
  const body = `return (async () => {\n${code}\n})();`;
  await new Function('require', 'exports', ...Object.keys(given), body)(
    load,
    exported,
    ...Object.values(given),
  );
  return Object.fromEntries(names.map((name) => [name, exported[name]]));
}
