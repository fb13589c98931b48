/**
 * Starts DynamoDB Local for tests (`DYNAMODB_ENDPOINT`, else a container, else the bundled jar on
 * Java 17+) under a watchdog, and gives the client settings to reach it.
 *
 * @module @tasks/dynamodb-local
 */
export type { EndpointClientConfig, StaticCredentials } from './client-config.js';
export {
  dynamoDbClientConfig,
  isAwsEndpoint,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
} from './client-config.js';
export type { ContainerOptions, ContainerRuntimeProbe } from './container.js';
export {
  probeContainerRuntime,
  startContainerDynamoDbLocal,
  startRestartableContainerDynamoDbLocal,
} from './container.js';
export { ENDPOINT_VARIABLE, endpointFromEnvironment, useEndpoint } from './env.js';
export { DynamoDbLocalUnavailableError } from './errors.js';
export { findFreeLoopbackPort, LOOPBACK_HOST } from './free-port.js';
export type { JarOptions } from './jar.js';
export { startJarDynamoDbLocal, startRestartableJarDynamoDbLocal } from './jar.js';
export type { BundledJar } from './jar-location.js';
export { locateBundledJar } from './jar-location.js';
export type { JavaProbe } from './java.js';
export { javaCommand, MIN_JAVA_MAJOR, probeJava } from './java.js';
export type { LocalProvider, StartDynamoDbLocalOptions } from './provider.js';
export {
  PROVIDER_VARIABLE,
  startDynamoDbLocal,
  startRestartableDynamoDbLocal,
} from './provider.js';
export type { ReadinessOptions } from './readiness.js';
export { waitUntilAnswering } from './readiness.js';
export type {
  DynamoDbLocal,
  DynamoDbLocalSource,
  ProviderLog,
  RestartableDynamoDbLocal,
} from './types.js';
export { DYNAMODB_LOCAL_IMAGE, DYNAMODB_LOCAL_VERSION } from './version.js';
