import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, jest } from '@jest/globals';
import { transformSync } from '@swc/core';
import * as core from '../src/index.js';

/** The first TypeScript block after `heading` in the root README. */
function snippetAfter(heading: string): string {
  const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf(heading));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match?.[1]) throw new Error(`No TypeScript block after '${heading}'`);
  return match[1];
}

describe('README', () => {
  it('runs the in-memory quick start as written', async () => {
    const source = snippetAfter('## Quick start: the in-memory store').replace(
      /^import .* from '@tasks\/core';$/m,
      'const { GenericTaskStore, InMemoryBackend } = core;',
    );
    const { code } = transformSync(`export default async function run(core) {\n${source}\n}`, {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    });
    const exported: { default?: (lib: typeof core) => Promise<void> } = {};
    new Function('exports', code)(exported);
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    await exported.default?.(core);
    expect(log).toHaveBeenCalledWith({ content: [{ type: 'text', text: 'done' }] });
    log.mockRestore();
  });
});
