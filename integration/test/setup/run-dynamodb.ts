import { type DynamoDbLocal, startDynamoDbLocal } from '@tasks/dynamodb-local';
import { RUN_ENDPOINT_VARIABLE, RUN_SOURCE_VARIABLE } from '../support/run-endpoint.js';

/** Where the global setup keeps the run's DynamoDB Local for the global teardown (same process). */
const RUN_KEY = Symbol.for('@tasks/integration/run-dynamodb');

/**
 * Silences the AWS SDK's notice that its releases from 2027 need Node 22, which every test file
 * would otherwise print again (each has its own module registry). The project supports Node 20.19+.
 */
const SDK_NODE_WARNING_SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

type RunGlobal = { [RUN_KEY]?: DynamoDbLocal };

/**
 * Provides the run's one endpoint (DYNAMODB_ENDPOINT, a container, or the jar), hands it to the
 * test files through the environment and prints which source it used.
 */
export async function startRunDynamoDb(): Promise<void> {
  process.env[SDK_NODE_WARNING_SWITCH] ??= 'true';
  const startedAt = Date.now();
  const local = await startDynamoDbLocal({ log: (line) => console.log(line) });
  (globalThis as RunGlobal)[RUN_KEY] = local;
  process.env[RUN_ENDPOINT_VARIABLE] = local.endpoint;
  process.env[RUN_SOURCE_VARIABLE] = local.source;
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  console.log(`DynamoDB Local: ${local.description} (ready in ${seconds} s)`);
}

/** Stops what `startRunDynamoDb` started (nothing for DYNAMODB_ENDPOINT). */
export async function stopRunDynamoDb(): Promise<void> {
  const run = globalThis as RunGlobal;
  const local = run[RUN_KEY];
  delete run[RUN_KEY];
  await local?.stop();
}
