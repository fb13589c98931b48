import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it, jest } from '@jest/globals';
import { transformSync } from '@swc/core';
import * as core from '../src/index.js';
import * as testing from '../src/testing/index.js';

/** The modules a snippet may import, by specifier. */
const MODULES: Record<string, unknown> = { '@tasks/core': core, '@tasks/core/testing': testing };

/** The section of this package's README that holds the task-model snippets. */
function taskModelSection(): string {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const start = readme.indexOf('## The task model of MCP 2026-07-28');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** Every TypeScript block of the section, with its heading. */
function snippets(): Array<[heading: string, source: string]> {
  const found: Array<[string, string]> = [];
  let heading = '';
  const pattern = /^### (.*)$|```ts\n([\s\S]*?)```/gm;
  for (const match of taskModelSection().matchAll(pattern)) {
    if (match[1] !== undefined) heading = match[1];
    else if (match[2] !== undefined) found.push([heading, match[2]]);
  }
  return found;
}

/** What a snippet says it prints: its `// ...` lines after the last `console.log`. */
function expectedOutput(source: string): string[] {
  return source
    .split('\n')
    .filter((line) => line.startsWith('// '))
    .map((line) => line.slice(3));
}

/** Runs a snippet with its imports bound to this package's sources; resolves with what it printed. */
async function run(source: string): Promise<string[]> {
  const body = source.replace(
    /^import (.*) from '(@tasks\/core(?:\/testing)?)';$/gm,
    (_line, names: string, specifier: string) =>
      `const ${names.replace(/\s+as\s+/g, ': ')} = modules[${JSON.stringify(specifier)}];`,
  );
  const { code } = transformSync(`export default async function run(modules) {\n${body}\n}`, {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  const exported: { default?: (modules: Record<string, unknown>) => Promise<void> } = {};
  new Function('exports', code)(exported);
  const printed: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...values: unknown[]) => {
    printed.push(
      values
        .map((value) =>
          typeof value === 'string' ? value : inspect(value, { depth: 5, breakLength: Infinity }),
        )
        .join(' '),
    );
  });
  try {
    await exported.default?.(MODULES);
  } finally {
    log.mockRestore();
  }
  return printed;
}

describe('the task model snippets of the README', () => {
  const found = snippets();

  it('finds the five snippets', () => {
    expect(found.map(([heading]) => heading)).toEqual([
      'Failed with a JSON-RPC error',
      'Input requests and responses',
      'Worker leases',
      'A worker: `TaskRun`',
      'Watching a task',
    ]);
  });

  it.each(found)('runs "%s" and prints what it says', async (_heading, source) => {
    expect(await run(source)).toEqual(expectedOutput(source));
  });
});
