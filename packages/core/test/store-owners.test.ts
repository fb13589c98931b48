import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { encodeOwner, ownerPrefix } from '../src/store/keys.js';
import { InvalidParamsError, TaskNotFoundError } from '../src/store/task-errors.js';
import { makeStore } from './helpers.js';

/** Owner ids built to collide: separators, prefixes of each other, the DynamoDB key prefix, URLs. */
const hostileOwner = fc.oneof(
  fc.constantFrom(
    'a',
    'a:b',
    'a:',
    ':a',
    'ab',
    'a#b',
    'OWNER#a',
    'a/b',
    'a b',
    'ä',
    '🎉',
    'https://idp.example/u?id=1&x=%3A',
    '%3A',
    'a%3Ab',
  ),
  fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }),
  fc.webUrl(),
);

describe('GenericTaskStore owner isolation', () => {
  it('encodes owners so no owner prefix is a prefix of another owner key', () => {
    fc.assert(
      fc.property(
        hostileOwner,
        hostileOwner,
        fc.stringMatching(/^[0-9a-f]{1,48}$/),
        (first, second, id) => {
          fc.pre(first !== second);
          expect(`${ownerPrefix(second)}${id}`.startsWith(ownerPrefix(first))).toBe(false);
          expect(encodeOwner(first)).not.toContain(':');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('hides every task of one owner from another in get, list, update, result and cancel', async () => {
    await fc.assert(
      fc.asyncProperty(hostileOwner, hostileOwner, async (owner, intruder) => {
        fc.pre(owner !== intruder);
        const { store } = makeStore();
        const task = await store.create(owner, { variables: { secret: owner } });
        await store.create(intruder);
        const notFound = { name: 'TaskNotFoundError', message: 'Task not found', code: -32602 };
        await expect(store.get(intruder, task.taskId)).rejects.toMatchObject(notFound);
        await expect(store.updateStatus(intruder, task.taskId, 'completed')).rejects.toMatchObject(
          notFound,
        );
        await expect(store.setVariables(intruder, task.taskId, { x: 1 })).rejects.toMatchObject(
          notFound,
        );
        await expect(
          store.storeResult(intruder, task.taskId, 'completed', {}),
        ).rejects.toMatchObject(notFound);
        await expect(store.getResult(intruder, task.taskId)).rejects.toMatchObject(notFound);
        await expect(store.cancel(intruder, task.taskId)).rejects.toMatchObject(notFound);
        const listed = await store.list(intruder);
        expect(listed.tasks.map((each) => each.taskId)).not.toContain(task.taskId);
        expect(listed.tasks).toHaveLength(1);
        expect(await store.get(owner, task.taskId)).toEqual(task);
      }),
      { numRuns: 150 },
    );
  });

  it('answers an unknown id exactly as it answers another owner id', async () => {
    const { store } = makeStore();
    const mine = await store.create('owner-1');
    const foreign = await store.get('owner-2', mine.taskId).catch((error: unknown) => error);
    const missing = await store
      .get('owner-2', `${mine.taskId.slice(0, -1)}0`)
      .catch((error: unknown) => error);
    const garbage = await store.get('owner-2', 'not-a-task-id').catch((error: unknown) => error);
    for (const error of [foreign, missing, garbage]) {
      expect(error).toBeInstanceOf(TaskNotFoundError);
      expect((error as Error).message).toBe('Task not found');
    }
  });

  it('rejects empty, non-string, malformed and oversized owners with InvalidParamsError', async () => {
    const { store } = makeStore();
    for (const owner of ['', '\uD800', 'x'.repeat(1025), 42 as unknown as string]) {
      await expect(store.create(owner)).rejects.toBeInstanceOf(InvalidParamsError);
      await expect(store.list(owner)).rejects.toBeInstanceOf(InvalidParamsError);
    }
  });
});
