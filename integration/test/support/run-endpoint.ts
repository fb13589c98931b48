import type { DynamoDbLocalSource } from '@tasks/dynamodb-local';

/** The variable through which the jest global setup hands the run's endpoint to the test files. */
export const RUN_ENDPOINT_VARIABLE = 'TASKS_INTEGRATION_ENDPOINT';
/** The variable naming the source of the run's endpoint (`env`, `container` or `jar`). */
export const RUN_SOURCE_VARIABLE = 'TASKS_INTEGRATION_SOURCE';

/** The endpoint the global setup provided for this run. */
export function runEndpoint(): string {
  const endpoint = process.env[RUN_ENDPOINT_VARIABLE];
  if (!endpoint) {
    throw new Error(
      `${RUN_ENDPOINT_VARIABLE} is not set: run these tests with \`pnpm test:integration\`, whose jest global setup provides DynamoDB Local`,
    );
  }
  return endpoint;
}

/** Where the run's endpoint came from. */
export function runSource(): DynamoDbLocalSource {
  const source = process.env[RUN_SOURCE_VARIABLE];
  if (source !== 'env' && source !== 'container' && source !== 'jar') {
    throw new Error(
      `${RUN_SOURCE_VARIABLE} is ${JSON.stringify(source)}, not env, container or jar`,
    );
  }
  return source;
}
