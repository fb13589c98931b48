/** Static credentials, as the AWS SDK takes them. */
export interface StaticCredentials {
  /** The access key id. */
  readonly accessKeyId: string;
  /** The secret access key. */
  readonly secretAccessKey: string;
}

/**
 * The settings `dynamoDbClientConfig` gives: spread them into `new DynamoDBClient({...})` (they
 * fit the AWS SDK v3's `DynamoDBClientConfig`; this package does not depend on the SDK).
 */
export interface EndpointClientConfig {
  /** The endpoint URL. */
  endpoint: string;
  /** The region: `us-east-1` for DynamoDB Local, the host name's for an AWS endpoint. */
  region: string;
  /** The dummy credentials for DynamoDB Local; absent for AWS (the SDK's default chain). */
  credentials?: StaticCredentials;
}

/** Fixed dummy credentials: DynamoDB Local accepts any, and real AWS rejects these. */
export const LOCAL_CREDENTIALS: StaticCredentials = Object.freeze({
  accessKeyId: 'local',
  secretAccessKey: 'local',
});

/** The region used for DynamoDB Local, and for an AWS endpoint whose host names none. */
export const LOCAL_REGION = 'us-east-1';

const AWS_HOSTNAME = /(?:^|\.)amazonaws\.com(?:\.cn)?$/;
const AWS_REGIONAL_HOSTNAME = /^dynamodb(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/** Whether `endpoint` is an AWS endpoint (its host ends in `amazonaws.com`) rather than DynamoDB Local. */
export function isAwsEndpoint(endpoint: string): boolean {
  return AWS_HOSTNAME.test(new URL(endpoint).hostname);
}

/**
 * The SDK client configuration for `endpoint`. An AWS endpoint
 * (`https://dynamodb.<region>.amazonaws.com`) gets the region from its host name (else
 * `AWS_REGION`) and the SDK's default credential chain (environment, profile, role). Any other
 * endpoint is taken for DynamoDB Local and gets the dummy credentials and `us-east-1`.
 */
export function dynamoDbClientConfig(
  endpoint: string,
  env: NodeJS.ProcessEnv = process.env,
): EndpointClientConfig {
  if (!isAwsEndpoint(endpoint)) {
    return { endpoint, region: LOCAL_REGION, credentials: { ...LOCAL_CREDENTIALS } };
  }
  const hostname = new URL(endpoint).hostname;
  const region =
    AWS_REGIONAL_HOSTNAME.exec(hostname)?.[1] ??
    env.AWS_REGION ??
    env.AWS_DEFAULT_REGION ??
    LOCAL_REGION;
  return { endpoint, region };
}
