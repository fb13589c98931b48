export type { DynamoDbClients } from './clients.js';
export { createDynamoDbClients } from './clients.js';
export {
  dynamoDbClientConfig,
  isAwsEndpoint,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
} from './dynamodb-local/client-config.js';
export type { ContainerRuntimeProbe } from './dynamodb-local/container.js';
export {
  probeContainerRuntime,
  startContainerDynamoDbLocal,
  startRestartableContainerDynamoDbLocal,
} from './dynamodb-local/container.js';
export { ENDPOINT_VARIABLE, endpointFromEnvironment, useEndpoint } from './dynamodb-local/env.js';
export { DynamoDbLocalUnavailableError } from './dynamodb-local/errors.js';
export { findFreeLoopbackPort, LOOPBACK_HOST } from './dynamodb-local/free-port.js';
export type { JarOptions } from './dynamodb-local/jar.js';
export { startJarDynamoDbLocal, startRestartableJarDynamoDbLocal } from './dynamodb-local/jar.js';
export type { BundledJar } from './dynamodb-local/jar-location.js';
export { locateBundledJar, releaseNotesVersion } from './dynamodb-local/jar-location.js';
export type { JavaProbe } from './dynamodb-local/java.js';
export { javaCommand, javaMajorVersion, MIN_JAVA_MAJOR, probeJava } from './dynamodb-local/java.js';
export type { ReadinessOptions } from './dynamodb-local/readiness.js';
export { waitUntilAnswering } from './dynamodb-local/readiness.js';
export type {
  DynamoDbLocal,
  DynamoDbLocalSource,
  ProviderLog,
  RestartableDynamoDbLocal,
} from './dynamodb-local/types.js';
export { DYNAMODB_LOCAL_IMAGE, DYNAMODB_LOCAL_VERSION } from './dynamodb-local/version.js';
export type { LocalProvider, StartDynamoDbLocalOptions } from './provider.js';
export {
  PROVIDER_VARIABLE,
  startDynamoDbLocal,
  startRestartableDynamoDbLocal,
} from './provider.js';
export type { TestTable, TestTableOptions } from './test-table.js';
export { createTestTable } from './test-table.js';
