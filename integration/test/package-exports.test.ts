import { execFileSync } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';

/** The entry points a user installs, with one export each must have. */
const ENTRIES: Array<[specifier: string, exportName: string]> = [
  ['@tasks/core', 'GenericTaskStore'],
  ['@tasks/core/backend', 'InMemoryBackend'],
  ['@tasks/core/testing', 'defineBackendConformance'],
  ['@tasks/mcp/sdk-v1', 'McpTaskStore'],
  ['@tasks/dynamodb', 'DynamoDbBackend'],
];

/** Runs a fresh Node process with `args` in this folder, resolving packages as a user program would. */
function runNode(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: __dirname, encoding: 'utf8' }).trim();
}

describe('published package shape', () => {
  it.each(ENTRIES)('%s can be required (CommonJS)', (specifier, exportName) => {
    const script = `process.stdout.write(typeof require(${JSON.stringify(specifier)}).${exportName})`;
    expect(runNode(['-e', script])).toBe('function');
  });

  it.each(ENTRIES)('%s can be imported (ES module)', (specifier, exportName) => {
    const script = `const m = await import(${JSON.stringify(specifier)}); process.stdout.write(typeof m.${exportName});`;
    expect(runNode(['--input-type=module', '-e', script])).toBe('function');
  });

  it.each([
    [
      'CommonJS',
      ['-e'],
      "const core = require('@tasks/core'); const dynamodb = require('@tasks/dynamodb');",
    ],
    [
      'ES module',
      ['--input-type=module', '-e'],
      "const core = await import('@tasks/core'); const dynamodb = await import('@tasks/dynamodb');",
    ],
  ])('lets @tasks/dynamodb throw the error classes of @tasks/core (%s)', (_format, flags, load) => {
    const script = [
      load,
      "const backend = new dynamodb.DynamoDbBackend({ region: 'us-east-1' });",
      "backend.get('no-separator').catch((error) => {",
      '  process.stdout.write(String(error instanceof core.StorageError));',
      '  backend.destroy();',
      '});',
    ].join('\n');
    expect(runNode([...flags, script])).toBe('true');
  });
});
