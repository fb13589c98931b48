import { register } from 'tsx/cjs/api';
import type * as RunDynamoDb from './run-dynamodb.js';

/**
 * Jest global setup: one DynamoDB endpoint for the whole run. Jest loads this file outside its
 * test runtime, where `moduleNameMapper` (our `.js` import suffixes to `.ts` files) does not
 * apply, so the setup code is loaded through tsx, which resolves them as TypeScript does.
 */
export default async function globalSetup(): Promise<void> {
  const tsx = register({ namespace: 'tasks-integration-global-setup' });
  const run = tsx.require('./run-dynamodb.ts', __filename) as typeof RunDynamoDb;
  await run.startRunDynamoDb();
}
