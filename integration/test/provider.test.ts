import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from '@jest/globals';
import {
  DYNAMODB_LOCAL_IMAGE,
  DYNAMODB_LOCAL_VERSION,
  DynamoDbLocalUnavailableError,
  dynamoDbClientConfig,
  javaMajorVersion,
  LOCAL_CREDENTIALS,
  locateBundledJar,
  startDynamoDbLocal,
} from '../src/index.js';
import { rejectionOf } from './support/rejection.js';
import { runEndpoint, runSource } from './support/run-endpoint.js';

async function tableNames(endpoint: string): Promise<string[] | undefined> {
  const client = new DynamoDBClient(dynamoDbClientConfig(endpoint));
  try {
    return (await client.send(new ListTablesCommand({}))).TableNames;
  } finally {
    client.destroy();
  }
}

describe('DynamoDB Local provider', () => {
  it('gave this run an endpoint that answers ListTables, and says where it came from', async () => {
    expect(['env', 'container', 'jar']).toContain(runSource());
    expect(Array.isArray(await tableNames(runEndpoint()))).toBe(true);
  });

  it('runs the same DynamoDB Local version from the jar and the container image', () => {
    expect(locateBundledJar().version).toBe(DYNAMODB_LOCAL_VERSION);
    expect(DYNAMODB_LOCAL_IMAGE).toBe(`amazon/dynamodb-local:${DYNAMODB_LOCAL_VERSION}`);
  });

  it('uses DYNAMODB_ENDPOINT as it is, and leaves it running on stop', async () => {
    const local = await startDynamoDbLocal({ env: { DYNAMODB_ENDPOINT: runEndpoint() } });
    expect(local).toMatchObject({ endpoint: runEndpoint(), source: 'env' });
    await local.stop();
    expect(Array.isArray(await tableNames(runEndpoint()))).toBe(true);
  });

  it('refuses a DYNAMODB_ENDPOINT that is not a URL', async () => {
    const error = await rejectionOf(
      startDynamoDbLocal({ env: { DYNAMODB_ENDPOINT: 'localhost' } }),
    );
    expect(error).toBeInstanceOf(DynamoDbLocalUnavailableError);
    expect((error as Error).message).toContain('DYNAMODB_ENDPOINT');
  });

  it('fails with a message naming the three options when no source works', async () => {
    const error = await rejectionOf(
      startDynamoDbLocal({
        env: { DYNAMODB_LOCAL_PROVIDER: 'jar', JAVA_HOME: '/nonexistent/java-home' },
      }),
    );
    expect(error).toBeInstanceOf(DynamoDbLocalUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain('jar: no usable Java (/nonexistent/java-home/bin/java');
    expect(message).toContain('1. DYNAMODB_ENDPOINT=<url>');
    expect(message).toContain(
      `2. a container runtime (Docker, Podman) that testcontainers reaches, to run ${DYNAMODB_LOCAL_IMAGE}`,
    );
    expect(message).toContain('3. Java 17+');
  });

  it('refuses an unknown DYNAMODB_LOCAL_PROVIDER', async () => {
    await expect(
      startDynamoDbLocal({ env: { DYNAMODB_LOCAL_PROVIDER: 'podman' } }),
    ).rejects.toThrow("DYNAMODB_LOCAL_PROVIDER must be 'container' or 'jar'");
  });

  it('gives DynamoDB Local dummy credentials and AWS endpoints the default chain and their region', () => {
    expect(dynamoDbClientConfig('http://127.0.0.1:8000')).toEqual({
      endpoint: 'http://127.0.0.1:8000',
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
    });
    expect(dynamoDbClientConfig('http://dynamodb-local:8000').credentials).toEqual(
      LOCAL_CREDENTIALS,
    );
    expect(dynamoDbClientConfig('https://dynamodb.eu-west-1.amazonaws.com', {})).toEqual({
      endpoint: 'https://dynamodb.eu-west-1.amazonaws.com',
      region: 'eu-west-1',
    });
  });

  it('reads the major Java version from java -version output', () => {
    expect(javaMajorVersion('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(javaMajorVersion('java version "1.8.0_402"')).toBe(8);
    expect(javaMajorVersion('no version here')).toBeUndefined();
  });
});
