import { DynamoDbLocalUnavailableError } from './errors.js';
import { type ReadinessOptions, waitUntilAnswering } from './readiness.js';
import type { DynamoDbLocal } from './types.js';

/** The variable naming an endpoint to use as it is: a running DynamoDB Local, or real AWS. */
export const ENDPOINT_VARIABLE = 'DYNAMODB_ENDPOINT';

/** The endpoint `DYNAMODB_ENDPOINT` names, or `undefined` when it is unset or blank. */
export function endpointFromEnvironment(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[ENDPOINT_VARIABLE]?.trim();
  return value ? value : undefined;
}

/**
 * Uses `endpoint` as it is, after checking it is a URL and answers within 15 s by default.
 * `stop()` does nothing: this run did not start it.
 */
export async function useEndpoint(
  endpoint: string,
  readiness: ReadinessOptions = {},
): Promise<DynamoDbLocal> {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new DynamoDbLocalUnavailableError(
      `${ENDPOINT_VARIABLE} is not a URL: ${JSON.stringify(endpoint)}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DynamoDbLocalUnavailableError(`${ENDPOINT_VARIABLE} must be http(s): ${endpoint}`);
  }
  await waitUntilAnswering(endpoint, { timeoutMs: 15_000, ...readiness });
  return {
    endpoint,
    source: 'env',
    description: `env ${ENDPOINT_VARIABLE}=${endpoint}`,
    stop: async () => undefined,
  };
}
