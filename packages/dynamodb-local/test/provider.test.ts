import { describe, expect, it } from '@jest/globals';
import {
  DYNAMODB_LOCAL_IMAGE,
  DYNAMODB_LOCAL_VERSION,
  DynamoDbLocalUnavailableError,
  dynamoDbClientConfig,
  LOCAL_CREDENTIALS,
  locateBundledJar,
  startDynamoDbLocal,
  waitUntilAnswering,
} from '../src/index.js';
import { javaMajorVersion } from '../src/java.js';
import { releaseNotesVersion } from '../src/jar-location.js';
import { startFakeEndpoint, TABLE_LIST } from './support/fake-endpoint.js';
import { rejectionOf } from './support/rejection.js';

describe('DynamoDB Local provider', () => {
  it('runs the same DynamoDB Local version from the jar and the container image', () => {
    expect(locateBundledJar().version).toBe(DYNAMODB_LOCAL_VERSION);
    expect(DYNAMODB_LOCAL_IMAGE).toBe(`amazon/dynamodb-local:${DYNAMODB_LOCAL_VERSION}`);
  });

  it('reads the version of the newest entry in the release notes', () => {
    expect(
      releaseNotesVersion('Release notes\n\n2026-05-28 (3.3.1)\n...\n2025-01-01 (2.6.0)'),
    ).toBe('3.3.1');
    expect(() => releaseNotesVersion('no dates here')).toThrow(DynamoDbLocalUnavailableError);
  });

  it('uses DYNAMODB_ENDPOINT as it is once it answers, and leaves it running on stop', async () => {
    const fake = await startFakeEndpoint([TABLE_LIST]);
    try {
      const local = await startDynamoDbLocal({ env: { DYNAMODB_ENDPOINT: ` ${fake.endpoint} ` } });
      expect(local).toMatchObject({
        endpoint: fake.endpoint,
        source: 'env',
        description: `env DYNAMODB_ENDPOINT=${fake.endpoint}`,
      });
      await local.stop();
      await waitUntilAnswering(fake.endpoint, { timeoutMs: 1_000 });
      expect(fake.requests).toHaveLength(2);
    } finally {
      await fake.close();
    }
  });

  it('refuses a DYNAMODB_ENDPOINT that is not a URL', async () => {
    const error = await rejectionOf(
      startDynamoDbLocal({ env: { DYNAMODB_ENDPOINT: 'localhost' } }),
    );
    expect(error).toBeInstanceOf(DynamoDbLocalUnavailableError);
    expect((error as Error).message).toContain('DYNAMODB_ENDPOINT');
  });

  it('refuses a DYNAMODB_ENDPOINT that is not http(s)', async () => {
    await expect(
      startDynamoDbLocal({ env: { DYNAMODB_ENDPOINT: 'ftp://127.0.0.1:8000' } }),
    ).rejects.toThrow('DYNAMODB_ENDPOINT must be http(s): ftp://127.0.0.1:8000');
  });

  it('fails with a message naming the three options when no source works', async () => {
    const error = await rejectionOf(
      startDynamoDbLocal({
        env: { DYNAMODB_LOCAL_PROVIDER: 'jar', JAVA_HOME: '/nonexistent/java-home' },
      }),
    );
    expect(error).toBeInstanceOf(DynamoDbLocalUnavailableError);
    expect((error as Error).name).toBe('DynamoDbLocalUnavailableError');
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
    expect(
      dynamoDbClientConfig('https://dynamodb.amazonaws.com', { AWS_REGION: 'ap-south-1' }),
    ).toEqual({ endpoint: 'https://dynamodb.amazonaws.com', region: 'ap-south-1' });
  });

  it('reads the major Java version from java -version output', () => {
    expect(javaMajorVersion('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(javaMajorVersion('java version "1.8.0_402"')).toBe(8);
    expect(javaMajorVersion('no version here')).toBeUndefined();
  });
});
