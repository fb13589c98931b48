import type { TestProject } from 'vitest/node';
import { runEndpoint } from '../support/run-endpoint.js';
import { startRunDynamoDb, stopRunDynamoDb } from './run-dynamodb.js';

declare module 'vitest' {
  /** What the global setup hands the test files. */
  export interface ProvidedContext {
    /** The run's DynamoDB endpoint. */
    dynamoDbEndpoint: string;
  }
}

/** Vitest global setup: the run's one DynamoDB endpoint, as jest's global setup provides it. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await startRunDynamoDb();
  project.provide('dynamoDbEndpoint', runEndpoint());
  return stopRunDynamoDb;
}
