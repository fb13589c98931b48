import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** The oldest Java that runs DynamoDB Local 3.x (its classes are Java 17 bytecode). */
export const MIN_JAVA_MAJOR = 17;

/** Whether a usable Java was found, with its version or the reason it cannot be used. */
export type JavaProbe =
  | {
      /** This Java can run DynamoDB Local. */
      ok: true;
      /** The command probed. */
      command: string;
      /** Its major version, at least `MIN_JAVA_MAJOR`. */
      major: number;
    }
  | {
      /** This Java cannot be used. */
      ok: false;
      /** The command probed. */
      command: string;
      /** Why: it failed to run, gave no known version, or is older than `MIN_JAVA_MAJOR`. */
      reason: string;
    };

/** The `java` to run: `$JAVA_HOME/bin/java` when `JAVA_HOME` is set, else `java` from the PATH. */
export function javaCommand(env: NodeJS.ProcessEnv = process.env): string {
  return env.JAVA_HOME ? path.join(env.JAVA_HOME, 'bin', 'java') : 'java';
}

/** Runs `java -version` (bounded to 15 s) and checks the major version is at least 17. */
export function probeJava(command: string = javaCommand()): JavaProbe {
  const result = spawnSync(command, ['-version'], { encoding: 'utf8', timeout: 15_000 });
  if (result.error) return { ok: false, command, reason: result.error.message };
  if (result.status !== 0) {
    return { ok: false, command, reason: `java -version exited with ${String(result.status)}` };
  }
  const major = javaMajorVersion(`${result.stderr}${result.stdout}`);
  if (major === undefined) return { ok: false, command, reason: 'unrecognised java -version' };
  if (major < MIN_JAVA_MAJOR) {
    return { ok: false, command, reason: `Java ${major} is older than ${MIN_JAVA_MAJOR}` };
  }
  return { ok: true, command, major };
}

/** The major version in `java -version` output: 17 for `"17.0.15"`, 8 for `"1.8.0_402"`. */
export function javaMajorVersion(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match?.[1]) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}
