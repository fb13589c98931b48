import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** What one counted call sent. */
export interface RequestCount {
  /** HTTP attempts sent, retries included. */
  requests: number;
  /** Attempts per DynamoDB operation (`GetItem`, `Query`...), in the order first sent. */
  byOperation: Record<string, number>;
}

/**
 * Counts the HTTP attempts a DynamoDB client sends. Its middleware sits in the `finalizeRequest`
 * step below the SDK's retry middleware, so it sees every attempt, retries included: what is
 * counted is what went over the wire, not an estimate.
 */
export class RequestCounter {
  private total = 0;
  private byOperation = new Map<string, number>();

  /** Adds the counting middleware to `client`, whose DocumentClients share its middleware stack. */
  constructor(client: DynamoDBClient) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        this.record(String(context.commandName ?? 'unknown').replace(/Command$/, ''));
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'benchRequestCounter' },
    );
  }

  /** All attempts sent since the counter was attached. */
  get sent(): number {
    return this.total;
  }

  /** Runs `call` and reports what it sent. Nothing else may use the client meanwhile. */
  async count(call: () => Promise<unknown>): Promise<RequestCount> {
    this.byOperation = new Map();
    const before = this.total;
    await call();
    return { requests: this.total - before, byOperation: Object.fromEntries(this.byOperation) };
  }

  private record(operation: string): void {
    this.total += 1;
    this.byOperation.set(operation, (this.byOperation.get(operation) ?? 0) + 1);
  }
}

/** `{ GetItem: 1, PutItem: 1 }` as `GetItem + PutItem`, `{ Query: 3 }` as `3 × Query`. */
export function describeRequests(byOperation: Record<string, number>): string {
  return Object.entries(byOperation)
    .map(([operation, count]) => (count === 1 ? operation : `${count} × ${operation}`))
    .join(' + ');
}
