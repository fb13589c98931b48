/** No DynamoDB endpoint could be provided; the message says what was tried and how to fix it. */
export class DynamoDbLocalUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DynamoDbLocalUnavailableError';
  }
}
