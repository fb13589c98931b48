import type * as Testcontainers from 'testcontainers';
import { DynamoDbLocalUnavailableError } from './errors.js';
import { findFreeLoopbackPort } from './free-port.js';
import { type ReadinessOptions, waitUntilAnswering } from './readiness.js';
import type { DynamoDbLocal, RestartableDynamoDbLocal } from './types.js';
import { DYNAMODB_LOCAL_IMAGE } from './version.js';

/** The port DynamoDB Local listens on inside the container. */
const CONTAINER_PORT = 8000;
/** Time allowed to pull the image and start the container. */
const STARTUP_TIMEOUT_MS = 180_000;

/** Options of the container providers. */
export interface ContainerOptions {
  /** How long to wait for the first answer once the container runs. */
  readiness?: ReadinessOptions;
}

/** Whether a container runtime answered, with its description or the reason it did not. */
export type ContainerRuntimeProbe =
  | {
      /** A runtime answered. */
      ok: true;
      /** Its operating system and host, for logs. */
      description: string;
    }
  | {
      /** No runtime answered. */
      ok: false;
      /** Why: testcontainers missing, no runtime found, or no answer in time. */
      reason: string;
    };

/**
 * Asks testcontainers for a container runtime (Docker, Podman, a remote `DOCKER_HOST`...), bounded
 * by `timeoutMs`. testcontainers, an optional peer dependency, is loaded only here and by the
 * container providers: when it is not installed there is no container runtime.
 */
export async function probeContainerRuntime(timeoutMs = 15_000): Promise<ContainerRuntimeProbe> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ContainerRuntimeProbe>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, reason: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
  });
  const probe = loadTestcontainers()
    .then(({ getContainerRuntimeClient }) => getContainerRuntimeClient())
    .then(
      (client): ContainerRuntimeProbe => ({
        ok: true,
        description: `${client.info.containerRuntime.operatingSystem} at ${client.info.containerRuntime.host}`,
      }),
      (error: unknown): ContainerRuntimeProbe => ({
        ok: false,
        reason: error instanceof Error ? error.message : String(error),
      }),
    );
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starts `amazon/dynamodb-local` (pinned to the jar's version) in memory with testcontainers,
 * on a random host port, and waits until it answers `ListTables`.
 */
export async function startContainerDynamoDbLocal(
  options: ContainerOptions = {},
): Promise<DynamoDbLocal> {
  const { GenericContainer } = await loadTestcontainers();
  const container = await new GenericContainer(DYNAMODB_LOCAL_IMAGE)
    .withCommand(['-jar', 'DynamoDBLocal.jar', '-inMemory', '-sharedDb', '-disableTelemetry'])
    .withExposedPorts(CONTAINER_PORT)
    .withStartupTimeout(STARTUP_TIMEOUT_MS)
    .start();
  const endpoint = `http://${container.getHost()}:${container.getMappedPort(CONTAINER_PORT)}`;
  const stop = async () => {
    await container.stop({ timeout: 0 });
  };
  await answeringOrStopped(endpoint, options.readiness ?? {}, stop);
  return {
    endpoint,
    source: 'container',
    description: `container ${DYNAMODB_LOCAL_IMAGE} at ${endpoint}`,
    stop,
  };
}

/**
 * Starts `amazon/dynamodb-local` on a database persisted in the container's filesystem
 * (`-sharedDb -dbPath .`) and a fixed host port, so the container can be killed and started
 * again with its data and endpoint. `stop()` removes the container.
 */
export async function startRestartableContainerDynamoDbLocal(
  options: ContainerOptions = {},
): Promise<RestartableDynamoDbLocal> {
  const readiness = options.readiness ?? {};
  const { GenericContainer, getContainerRuntimeClient } = await loadTestcontainers();
  const hostPort = await findFreeLoopbackPort();
  const started = await new GenericContainer(DYNAMODB_LOCAL_IMAGE)
    .withCommand(['-jar', 'DynamoDBLocal.jar', '-sharedDb', '-dbPath', '.', '-disableTelemetry'])
    .withExposedPorts({ container: CONTAINER_PORT, host: hostPort })
    .withStartupTimeout(STARTUP_TIMEOUT_MS)
    .start();
  const runtime = await getContainerRuntimeClient();
  const dockerContainer = runtime.container.getById(started.getId());
  const endpoint = `http://${started.getHost()}:${hostPort}`;
  let running = true;
  const stop = async () => {
    if (running) await started.stop({ timeout: 0 });
    else await runtime.container.remove(dockerContainer, { removeVolumes: true });
  };
  await answeringOrStopped(endpoint, readiness, stop);
  return {
    endpoint,
    source: 'container',
    description: `container ${DYNAMODB_LOCAL_IMAGE} at ${endpoint}, database in the container`,
    crash: async () => {
      await runtime.container.stop(dockerContainer, { timeout: 0 });
      running = false;
    },
    restart: async () => {
      await runtime.container.start(dockerContainer);
      running = true;
      await waitUntilAnswering(endpoint, readiness);
    },
    stop,
  };
}

async function answeringOrStopped(
  endpoint: string,
  readiness: ReadinessOptions,
  stop: () => Promise<void>,
): Promise<void> {
  try {
    await waitUntilAnswering(endpoint, readiness);
  } catch (error) {
    await stop();
    throw new DynamoDbLocalUnavailableError(
      `The ${DYNAMODB_LOCAL_IMAGE} container started but ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** Loads the optional peer dependency testcontainers; says plainly when it is not installed. */
async function loadTestcontainers(): Promise<typeof Testcontainers> {
  try {
    return await import('testcontainers');
  } catch (error) {
    const missing =
      isModuleNotFound(error) && (error as Error).message.includes("'testcontainers'");
    throw new DynamoDbLocalUnavailableError(
      missing
        ? 'testcontainers is not installed (install it to run DynamoDB Local in a container)'
        : `testcontainers could not be loaded: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}
