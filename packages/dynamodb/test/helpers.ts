import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FakeClock } from '@tasks/core/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbBackend, type DynamoDbBackendCommonOptions } from '../src/index.js';

/** Every DocumentClient's `send`, stubbed: nothing reaches the network. */
export const documentMock = mockClient(DynamoDBDocumentClient);

/** A fixed time: 2026-01-01T00:00:00.000Z, 1,767,225,600 epoch seconds. */
export const NOW_SECONDS = 1_767_225_600;

/** A backend on a plain client (wrapped, hence stubbed) with a fake clock at `NOW_SECONDS`. */
export function makeBackend(options: Pick<DynamoDbBackendCommonOptions, 'onMalformedItem'> = {}): {
  backend: DynamoDbBackend;
  clock: FakeClock;
} {
  const clock = new FakeClock(NOW_SECONDS * 1000);
  const client = new DynamoDBClient({ region: 'us-east-1' });
  return {
    backend: new DynamoDbBackend({ client, tableName: 'tasks-test', clock, ...options }),
    clock,
  };
}

/** The commands sent so far, as [command class name, input] pairs. */
export function sentCommands(): Array<[string, unknown]> {
  return documentMock.calls().map((call) => {
    const command = call.args[0] as { constructor: { name: string }; input: unknown };
    return [command.constructor.name, command.input];
  });
}

/** What `promise` rejected with; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`Expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

/** An ISO timestamp `seconds` away from `NOW_SECONDS`. */
export function isoAt(seconds: number): string {
  return new Date((NOW_SECONDS + seconds) * 1000).toISOString();
}

/** An error shaped like an AWS SDK service error named `name` (a 400 answer). */
export function sdkError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });
}
