import { describe, expect, it } from '@jest/globals';
import { BackendError } from '../src/backend/errors.js';
import { TaskStorageError } from '../src/store/task-errors.js';
import { newTaskId } from '../src/store/task-id.js';
import { ContractOnlyBackend } from '../src/testing/index.js';
import { makeStore } from './helpers.js';

describe('GenericTaskStore on a backend that throws instead of rejecting', () => {
  it('rejects a read with TaskStorageError, the backend error kept as cause', async () => {
    const failure = new BackendError('get', 'k', new Error('network down'));
    const { store, clock } = makeStore(
      {},
      (inner) =>
        new (class extends ContractOnlyBackend {
          override get(): never {
            throw failure;
          }
        })(inner),
    );
    let read: Promise<unknown> | undefined;
    expect(() => {
      read = store.get('alice', newTaskId(clock.now()));
    }).not.toThrow();
    const error = await read?.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TaskStorageError);
    expect(error).toMatchObject({ code: -32603, cause: failure });
  });
});
