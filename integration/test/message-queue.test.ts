import { describe, expect, it } from '@jest/globals';
import { GenericTaskMessageQueue, GenericTaskStore, MessageQueueFullError } from '@tasks/core';
import { backendOn, useTestTable } from './support/table.js';

const OWNER = 'queue-owner';

describe('GenericTaskMessageQueue on DynamoDB', () => {
  const table = useTestTable('queue');

  /** How many server instances share the table: each has its own store and queue. */
  const INSTANCES = 5;

  function setup() {
    const backend = backendOn(table());
    const store = new GenericTaskStore({ backend });
    const instances = Array.from(
      { length: INSTANCES },
      () => new GenericTaskMessageQueue({ store: new GenericTaskStore({ backend }) }),
    );
    return {
      store,
      queue: instances[0] as GenericTaskMessageQueue,
      /** The queue of the instance that handles call `n`, round robin. */
      on: (n: number) => instances[n % INSTANCES] as GenericTaskMessageQueue,
    };
  }

  it('lets exactly one of 20 parallel first enqueues create the queue and keeps every message', async () => {
    const { store, queue, on } = setup();
    const { taskId } = await store.create(OWNER);
    await Promise.all(Array.from({ length: 20 }, (_, n) => on(n).enqueue(OWNER, taskId, { n })));
    const messages = await queue.dequeueAll(OWNER, taskId);
    expect(messages.map((message) => message.n).sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: 20 }, (_, n) => n),
    );
    expect(await queue.dequeueAll(OWNER, taskId)).toEqual([]);
  });

  it('is first in, first out', async () => {
    const { store, queue } = setup();
    const { taskId } = await store.create(OWNER);
    for (let n = 0; n < 5; n += 1) await queue.enqueue(OWNER, taskId, { n });
    const taken = [];
    for (let n = 0; n < 6; n += 1) taken.push(await queue.dequeue(OWNER, taskId));
    expect(taken).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }, undefined]);
  });

  it('never overfills: of 30 parallel enqueues into a queue of at most 12, exactly 12 land', async () => {
    const { store, queue, on } = setup();
    const { taskId } = await store.create(OWNER);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, (_, n) => on(n).enqueue(OWNER, taskId, { n }, 12)),
    );
    const landed = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const refused = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [outcome.reason] : [],
    );
    expect(landed).toHaveLength(12);
    expect(refused).toHaveLength(18);
    for (const reason of refused) expect(reason).toBeInstanceOf(MessageQueueFullError);
    const messages = await queue.dequeueAll(OWNER, taskId);
    expect(messages).toHaveLength(12);
    expect(new Set(messages.map((message) => message.n)).size).toBe(12);
  });

  it('hands each message to exactly one of many parallel dequeuers', async () => {
    const { store, queue, on } = setup();
    const { taskId } = await store.create(OWNER);
    for (let n = 0; n < 15; n += 1) await queue.enqueue(OWNER, taskId, { n });
    const taken = await Promise.all(
      Array.from({ length: 25 }, (_, n) => on(n).dequeue(OWNER, taskId)),
    );
    const values = taken.flatMap((message) => (message === undefined ? [] : [message.n]));
    expect([...values].sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: 15 }, (_, n) => n),
    );
    expect(taken.filter((message) => message === undefined)).toHaveLength(10);
  });
});
