import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import * as api from '../src/index.js';
import { importedModules, readmeText, tsBlocksOf } from './support/readme.js';

/** Every name `src/index.ts` exports, types included, read from its source. */
function exportedNames(): string[] {
  const index = readFileSync(path.join(__dirname, '..', 'src', 'index.ts'), 'utf8');
  return [...index.matchAll(/^export (?:type )?\{([^}]*)\}/gm)].flatMap((match) =>
    (match[1] ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== ''),
  );
}

describe('README', () => {
  it('documents every export in its API reference', () => {
    const reference = readmeText().slice(readmeText().indexOf('## API reference'));
    const names = exportedNames();
    expect(names).toEqual(expect.arrayContaining(Object.keys(api)));
    expect(names.filter((name) => !reference.includes(`\`${name}`))).toEqual([]);
  });

  it('has one test setup snippet, built on the published packages and jest', () => {
    const snippets = tsBlocksOf('## Test setup');
    expect(snippets).toHaveLength(1);
    expect(importedModules(snippets[0] ?? '')).toEqual([
      '@aws-sdk/client-dynamodb',
      '@jest/globals',
      '@tasks/core',
      '@tasks/dynamodb',
      '@tasks/dynamodb-local',
    ]);
  });
});
