import { describe, expect, it } from '@jest/globals';
import { ownerPrefix } from '../src/store/keys.js';
import { InvalidParamsError } from '../src/store/task-errors.js';
import { dump, makeStore } from './helpers.js';

const OWNER = 'careful';

describe('GenericTaskStore bad input', () => {
  it('rejects every malformed argument with InvalidParamsError (-32602) and changes nothing', async () => {
    const { store, backend } = makeStore();
    const task = await store.create(OWNER, { variables: { keep: true }, statusMessage: 'start' });
    const before = await dump(backend, ownerPrefix(OWNER));
    const attempts: Array<[string, () => Promise<unknown>]> = [
      ['unknown status', () => store.updateStatus(OWNER, task.taskId, 'paused' as never)],
      [
        'result with cancelled',
        () => store.storeResult(OWNER, task.taskId, 'cancelled' as never, {}),
      ],
      ['result with working', () => store.storeResult(OWNER, task.taskId, 'working' as never, {})],
      [
        'non-string message',
        () => store.updateStatus(OWNER, task.taskId, 'input_required', 5 as never),
      ],
      ['params not an object', () => store.create(OWNER, 'fast' as never)],
      ['params an array', () => store.create(OWNER, [] as never)],
      ['zero poll interval', () => store.create(OWNER, { pollInterval: 0 })],
      ['fractional poll interval', () => store.create(OWNER, { pollInterval: 1.5 })],
      ['non-string request method', () => store.create(OWNER, { requestMethod: {} as never })],
      ['variables not an object', () => store.create(OWNER, { variables: [] as never })],
      ['patch not an object', () => store.setVariables(OWNER, task.taskId, 'x' as never)],
      [
        'undefined result',
        () => store.storeResult(OWNER, task.taskId, 'completed', undefined as never),
      ],
      ['empty owner', () => store.get('', task.taskId)],
    ];
    for (const [label, attempt] of attempts) {
      const error = await attempt().then(
        () => `${label}: no error`,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(InvalidParamsError);
      expect(error).toMatchObject({ name: 'InvalidParamsError', code: -32602 });
    }
    expect(await dump(backend, ownerPrefix(OWNER))).toEqual(before);
    expect(await store.get(OWNER, task.taskId)).toEqual(task);
  });
});
