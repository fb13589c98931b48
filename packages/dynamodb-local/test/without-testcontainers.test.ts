import { describe, expect, it, jest } from '@jest/globals';
import {
  DynamoDbLocalUnavailableError,
  probeContainerRuntime,
  startContainerDynamoDbLocal,
  startDynamoDbLocal,
} from '../src/index.js';
import { rejectionOf } from './support/rejection.js';

// testcontainers is an optional peer dependency: here it fails to load as an uninstalled package does.
jest.mock('testcontainers', () => {
  throw Object.assign(new Error("Cannot find module 'testcontainers' from 'src/container.ts'"), {
    code: 'MODULE_NOT_FOUND',
  });
});

const NOT_INSTALLED = 'testcontainers is not installed';

describe('without testcontainers installed', () => {
  it('the probe reports no container runtime, and says why', async () => {
    const probe = await probeContainerRuntime();
    expect(probe.ok).toBe(false);
    expect(probe.ok ? '' : probe.reason).toContain(NOT_INSTALLED);
  });

  it('the container provider refuses with DynamoDbLocalUnavailableError', async () => {
    const error = await rejectionOf(startContainerDynamoDbLocal());
    expect(error).toBeInstanceOf(DynamoDbLocalUnavailableError);
    expect((error as Error).message).toContain(NOT_INSTALLED);
  });

  it('startDynamoDbLocal passes over the container and goes on to the jar', async () => {
    const log: string[] = [];
    const error = await rejectionOf(
      startDynamoDbLocal({
        env: { JAVA_HOME: '/nonexistent/java-home' },
        log: (line) => log.push(line),
      }),
    );
    expect(log).toEqual([expect.stringContaining(`no container runtime (${NOT_INSTALLED}`)]);
    const message = (error as Error).message;
    expect(message).toContain(`container: no container runtime (${NOT_INSTALLED}`);
    expect(message).toContain('jar: no usable Java (/nonexistent/java-home/bin/java');
  });
});
