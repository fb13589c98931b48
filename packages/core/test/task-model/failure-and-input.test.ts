import { describe, expect, it } from '@jest/globals';
import { recordKey } from '../../src/store/keys.js';
import { GenericTaskStore } from '../../src/store/store.js';
import {
  InputKeyReusedError,
  InvalidParamsError,
  InvalidTransitionError,
  LimitExceededError,
} from '../../src/store/task-errors.js';
import { makeStore } from '../helpers.js';

const OWNER = 'model-owner';
const ELICIT = {
  method: 'elicitation/create',
  params: { mode: 'form', message: 'Your name?', requestedSchema: { type: 'object' } },
};

describe('failing with a JSON-RPC error', () => {
  it('stores the error with the terminal status in one write and returns it from get', async () => {
    const { store } = makeStore();
    const { taskId } = await store.create(OWNER);
    const failed = await store.fail(OWNER, taskId, {
      code: -32000,
      message: 'Upstream refused',
      data: { retryAfter: 30 },
    });
    expect(failed).toMatchObject({
      status: 'failed',
      error: { code: -32000, message: 'Upstream refused', data: { retryAfter: 30 } },
      hasResult: false,
    });
    expect(await store.get(OWNER, taskId)).toEqual(failed);
    await expect(
      store.fail(OWNER, taskId, { code: -32000, message: 'again' }),
    ).rejects.toBeInstanceOf(InvalidTransitionError);
  });

  it('keeps a tool result with isError: true as completed, not failed', async () => {
    const { store } = makeStore();
    const { taskId } = await store.create(OWNER);
    const result = { content: [{ type: 'text', text: 'bad input' }], isError: true };
    const done = await store.storeResult(OWNER, taskId, 'completed', result);
    expect(done).toMatchObject({ status: 'completed', result, hasResult: true });
    expect(done.error).toBeUndefined();
  });

  it('refuses a malformed error with a typed error and writes nothing', async () => {
    const { store, memory } = makeStore();
    const { taskId } = await store.create(OWNER);
    const before = await memory.get(recordKey(OWNER, taskId));
    const bad: unknown[] = [
      { code: 1.5, message: 'x' },
      { code: '1', message: 'x' },
      { code: 1 },
      { code: 1, message: 7 },
      { code: 1, message: 'x', data: () => 1 },
      { code: 1, message: 'x', stack: 'no' },
      'boom',
      null,
    ];
    for (const error of bad) {
      await expect(store.fail(OWNER, taskId, error as never)).rejects.toBeInstanceOf(
        InvalidParamsError,
      );
    }
    const { store: small } = makeStore({ limits: { maxRecordBytes: 2_000 } });
    const task = await small.create(OWNER);
    await expect(
      small.fail(OWNER, task.taskId, { code: 1, message: 'x', data: 'y'.repeat(5_000) }),
    ).rejects.toBeInstanceOf(LimitExceededError);
    expect(await memory.get(recordKey(OWNER, taskId))).toEqual(before);
  });
});

describe('input requests and responses', () => {
  it('moves to input_required with every outstanding request, and back to working once all are answered', async () => {
    const { store } = makeStore();
    const { taskId } = await store.create(OWNER);
    const asked = await store.requestInput(
      OWNER,
      taskId,
      { name: ELICIT, city: ELICIT },
      'Need details',
    );
    expect(asked).toMatchObject({
      status: 'input_required',
      statusMessage: 'Need details',
      inputRequests: { name: ELICIT, city: ELICIT },
    });
    expect((await store.get(OWNER, taskId)).inputRequests).toEqual({ name: ELICIT, city: ELICIT });

    const partial = await store.respondToInput(OWNER, taskId, {
      name: { action: 'accept', content: { name: 'Luca' } },
      never: { action: 'accept' },
    });
    expect(partial.accepted).toEqual(['name']);
    expect(partial.ignored).toEqual(['never']);
    expect(partial.task).toMatchObject({
      status: 'input_required',
      inputRequests: { city: ELICIT },
      inputResponses: { name: { action: 'accept', content: { name: 'Luca' } } },
    });

    const again = await store.respondToInput(OWNER, taskId, { name: { action: 'decline' } });
    expect(again).toMatchObject({ accepted: [], ignored: ['name'] });

    const done = await store.respondToInput(OWNER, taskId, {
      city: { action: 'accept', content: { city: 'Rome' } },
    });
    expect(done.task.status).toBe('working');
    expect(done.task.inputRequests).toBeUndefined();
    expect(await store.takeInputResponses(OWNER, taskId, ['name', 'city'])).toEqual({
      name: { action: 'accept', content: { name: 'Luca' } },
      city: { action: 'accept', content: { city: 'Rome' } },
    });
    expect(await store.takeInputResponses(OWNER, taskId, ['name', 'city'])).toEqual({});
    expect((await store.get(OWNER, taskId)).inputResponses).toBeUndefined();
  });

  it('refuses a key used before, even long after it was answered', async () => {
    const { store } = makeStore();
    const { taskId } = await store.create(OWNER);
    await store.requestInput(OWNER, taskId, { first: ELICIT });
    await expect(store.requestInput(OWNER, taskId, { first: ELICIT })).rejects.toBeInstanceOf(
      InputKeyReusedError,
    );
    await store.respondToInput(OWNER, taskId, { first: { action: 'accept' } });
    await store.takeInputResponses(OWNER, taskId);
    const error = await store
      .requestInput(OWNER, taskId, { second: ELICIT, first: ELICIT })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputKeyReusedError);
    expect(error).toMatchObject({ keys: ['first'], code: -32602 });
    expect((await store.get(OWNER, taskId)).inputRequests).toBeUndefined();
  });

  it('ignores responses once the task has ended, and refuses requests then', async () => {
    const { store } = makeStore();
    const { taskId } = await store.create(OWNER);
    await store.requestInput(OWNER, taskId, { name: ELICIT });
    const cancelled = await store.cancel(OWNER, taskId);
    expect(cancelled.inputRequests).toBeUndefined();
    expect(await store.respondToInput(OWNER, taskId, { name: { action: 'accept' } })).toMatchObject(
      {
        accepted: [],
        ignored: ['name'],
      },
    );
    await expect(store.requestInput(OWNER, taskId, { other: ELICIT })).rejects.toBeInstanceOf(
      InvalidTransitionError,
    );
  });

  it('refuses malformed requests and a response too big, changing nothing', async () => {
    const { store, memory } = makeStore({ limits: { maxRecordBytes: 3_000 } });
    const { taskId } = await store.create(OWNER);
    await store.requestInput(OWNER, taskId, { name: ELICIT });
    const before = await memory.get(recordKey(OWNER, taskId));
    for (const requests of [
      {},
      { x: {} },
      { x: { method: '' } },
      { x: { method: 'm', params: 3 } },
      null,
    ]) {
      await expect(store.requestInput(OWNER, taskId, requests as never)).rejects.toBeInstanceOf(
        InvalidParamsError,
      );
    }
    await expect(
      store.respondToInput(OWNER, taskId, { name: { text: 'z'.repeat(4_000) } }),
    ).rejects.toBeInstanceOf(LimitExceededError);
    await expect(
      store.respondToInput(OWNER, taskId, { name: { text: 'z'.repeat(2_950) } }),
    ).rejects.toBeInstanceOf(LimitExceededError);
    expect(await memory.get(recordKey(OWNER, taskId))).toEqual(before);
  });

  it('accepts a key answered by two instances at once exactly once', async () => {
    const { store, backend, clock } = makeStore();
    const other = new GenericTaskStore({ backend, clock });
    const { taskId } = await store.create(OWNER);
    await store.requestInput(OWNER, taskId, { name: ELICIT });
    const [a, b] = await Promise.all([
      store.respondToInput(OWNER, taskId, { name: { from: 'a' } }),
      other.respondToInput(OWNER, taskId, { name: { from: 'b' } }),
    ]);
    expect([...a.accepted, ...b.accepted]).toEqual(['name']);
    expect([...a.ignored, ...b.ignored]).toEqual(['name']);
    const taken = await store.takeInputResponses(OWNER, taskId);
    expect(taken).toEqual({ name: a.accepted.length === 1 ? { from: 'a' } : { from: 'b' } });
  });

  it('never loses or repeats a response when responders race the worker taking them', async () => {
    const { store, backend, clock } = makeStore();
    const worker = new GenericTaskStore({ backend, clock });
    const { taskId } = await store.create(OWNER);
    const keys = Array.from({ length: 12 }, (_, n) => `k${n}`);
    await worker.requestInput(OWNER, taskId, Object.fromEntries(keys.map((key) => [key, ELICIT])));
    const responders = keys.map((key, n) =>
      new GenericTaskStore({ backend, clock }).respondToInput(OWNER, taskId, { [key]: { n } }),
    );
    const takes = Array.from({ length: 6 }, () => worker.takeInputResponses(OWNER, taskId));
    const [answered, taken] = await Promise.all([Promise.all(responders), Promise.all(takes)]);
    expect(answered.flatMap((outcome) => outcome.accepted).sort()).toEqual([...keys].sort());
    const all = [...taken, await worker.takeInputResponses(OWNER, taskId)].flatMap((batch) =>
      Object.keys(batch),
    );
    expect(all.sort()).toEqual([...keys].sort());
  });
});
