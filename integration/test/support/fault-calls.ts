import type { GenericTaskStore, StorageBackend } from '@tasks/core';
import type { DynamoDbBackend } from '@tasks/dynamodb';

/** A named call that reaches the endpoint. */
export interface NamedCall {
  name: string;
  call: () => Promise<unknown>;
}

/**
 * Every backend method that sends a request (`cleanupExpired` sends none on DynamoDB: it leaves
 * removal to native TTL), on a key and prefix of `prefix`.
 */
export function backendCalls(
  backend: StorageBackend & Pick<DynamoDbBackend, 'listPageByPrefix'>,
  prefix: string,
): NamedCall[] {
  const key = `${prefix}record`;
  return [
    { name: 'get', call: () => backend.get(key) },
    { name: 'put', call: () => backend.put(key, '{"n":1}') },
    { name: 'putIfVersion', call: () => backend.putIfVersion(key, '{"n":2}', 1) },
    { name: 'delete', call: () => backend.delete(key) },
    { name: 'listByPrefix', call: () => backend.listByPrefix(prefix) },
    { name: 'listPageByPrefix', call: () => backend.listPageByPrefix(prefix, { limit: 10 }) },
  ];
}

/** Every store operation that reads or writes, on `owner`'s task `taskId`. */
export function storeCalls(store: GenericTaskStore, owner: string, taskId: string): NamedCall[] {
  return [
    { name: 'create', call: () => store.create(owner) },
    { name: 'get', call: () => store.get(owner, taskId) },
    { name: 'list', call: () => store.list(owner) },
    { name: 'updateStatus', call: () => store.updateStatus(owner, taskId, 'input_required') },
    { name: 'setStatusMessage', call: () => store.setStatusMessage(owner, taskId, 'step 2') },
    { name: 'setVariables', call: () => store.setVariables(owner, taskId, { step: 2 }) },
    { name: 'storeResult', call: () => store.storeResult(owner, taskId, 'completed', 42) },
    { name: 'getResult', call: () => store.getResult(owner, taskId) },
    { name: 'cancel', call: () => store.cancel(owner, taskId) },
  ];
}
