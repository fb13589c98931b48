import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from '@jest/globals';

interface Manifest {
  name?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const CORE_DIR = realpathSync(join(__dirname, '..', '..', 'core'));

function manifestOf(packageDir: string): Manifest {
  return JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as Manifest;
}

/** What installing the package pulls in: dependencies, optional ones, and required peers. */
function runtimeDependencyNames(manifest: Manifest): string[] {
  const requiredPeers = Object.keys(manifest.peerDependencies ?? {}).filter(
    (name) => manifest.peerDependenciesMeta?.[name]?.optional !== true,
  );
  return [
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.optionalDependencies ?? {}),
    ...requiredPeers,
  ];
}

/** The installed directory of `name` as Node resolves it from `fromDir`: the nearest node_modules. */
function installedDir(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

/** Every package name in the installed runtime dependency tree of `rootDir`. */
function runtimeTreeOf(rootDir: string): string[] {
  const names = new Set<string>();
  const visited = new Set<string>([rootDir]);
  const pending = [rootDir];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    for (const name of runtimeDependencyNames(manifestOf(dir))) {
      names.add(name);
      const found = installedDir(name, dir);
      if (found === undefined) {
        throw new Error(`${name}, a runtime dependency under ${dir}, is not installed`);
      }
      if (!visited.has(found)) {
        visited.add(found);
        pending.push(found);
      }
    }
  }
  return [...names];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('@tasks/core stays free of the AWS SDK', () => {
  it('has no @aws-sdk package in its installed runtime dependency tree', () => {
    expect(manifestOf(CORE_DIR).name).toBe('@tasks/core');
    const tree = runtimeTreeOf(CORE_DIR);
    expect(tree.filter((name) => name.startsWith('@aws-sdk/'))).toEqual([]);
  });

  it('never imports @aws-sdk from its built code', () => {
    const distDir = join(CORE_DIR, 'dist');
    expect(existsSync(distDir)).toBe(true);
    const files = filesUnder(distDir).filter((file) => /\.(c|m)?js$|\.d\.(c|m)?ts$/.test(file));
    expect(files.length).toBeGreaterThan(0);
    const importing = files.filter((file) => readFileSync(file, 'utf8').includes('@aws-sdk'));
    expect(importing).toEqual([]);
  });

  it('would catch an @aws-sdk package anywhere in a tree', () => {
    const ownTree = runtimeTreeOf(realpathSync(join(__dirname, '..')));
    expect(ownTree).toEqual(
      expect.arrayContaining(['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', '@smithy/core']),
    );
  });
});
