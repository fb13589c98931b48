import { register } from 'tsx/cjs/api';
import type * as RunDynamoDb from './run-dynamodb.js';

/** Jest global teardown: stops what the global setup started (loaded through tsx, as there). */
export default async function globalTeardown(): Promise<void> {
  const tsx = register({ namespace: 'tasks-integration-global-teardown' });
  const run = tsx.require('./run-dynamodb.ts', __filename) as typeof RunDynamoDb;
  await run.stopRunDynamoDb();
}
