import { ContractOnlyBackend, CountingBackend } from '../src/testing/index.js';
import { describe, expect, it } from '@jest/globals';
import { recordKey } from '../src/store/keys.js';
import type { InMemoryBackend } from '../src/backend/memory-backend.js';
import type { GenericTaskStore } from '../src/store/store.js';
import { InvalidCursorError, LimitExceededError } from '../src/store/task-errors.js';
import { makeStore } from './helpers.js';

const OWNER = 'lister';

const variants = [
  ['a backend with paged listing', undefined],
  ['a backend without paged listing', (memory: InMemoryBackend) => new ContractOnlyBackend(memory)],
] as const;

describe.each(variants)('GenericTaskStore listing on %s', (_name, backendFor) => {
  async function seeded(count: number, options = {}) {
    const context = makeStore({ limits: { maxActiveTasksPerOwner: null }, ...options }, backendFor);
    const ids: string[] = [];
    for (let index = 0; index < count; index += 1) {
      ids.push((await context.store.create(OWNER, { variables: { index } })).taskId);
      context.clock.advance(10);
    }
    await context.store.create('someone-else');
    return { ...context, newestFirst: [...ids].reverse() };
  }

  async function collect(store: GenericTaskStore, pageSize: number) {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 100; page += 1) {
      const result = await store.list(OWNER, {
        pageSize,
        ...(cursor === undefined ? {} : { cursor }),
      });
      expect(result.tasks.length).toBeLessThanOrEqual(pageSize);
      seen.push(...result.tasks.map((task) => task.taskId));
      if (result.nextCursor === undefined) return seen;
      cursor = result.nextCursor;
    }
    throw new Error('listing did not end');
  }

  it('lists newest first across pages with no duplicates or gaps', async () => {
    const { store, newestFirst } = await seeded(23);
    expect(await collect(store, 5)).toEqual(newestFirst);
    expect(await collect(store, 23)).toEqual(newestFirst);
    expect(await collect(store, 100)).toEqual(newestFirst);
  });

  it('uses the configured default page size', async () => {
    const { store, newestFirst } = await seeded(7, { pageSize: 3 });
    const first = await store.list(OWNER);
    expect(first.tasks.map((task) => task.taskId)).toEqual(newestFirst.slice(0, 3));
    expect(first.nextCursor).toEqual(expect.any(String));
  });

  it('stays correct when tasks are deleted or expire between pages', async () => {
    const { store, memory, clock, newestFirst } = await seeded(12);
    const shortLived = await store.create(OWNER, { ttl: 1_000 });
    const first = await store.list(OWNER, { pageSize: 4 });
    expect(first.tasks.map((task) => task.taskId)).toEqual([
      shortLived.taskId,
      ...newestFirst.slice(0, 3),
    ]);
    await memory.delete(recordKey(OWNER, newestFirst[3] as string));
    await memory.delete(recordKey(OWNER, newestFirst[5] as string));
    clock.advance(2_000);
    const rest: string[] = [];
    let cursor = first.nextCursor;
    while (cursor !== undefined) {
      const page = await store.list(OWNER, { pageSize: 4, cursor });
      rest.push(...page.tasks.map((task) => task.taskId));
      cursor = page.nextCursor;
    }
    expect(rest).toEqual(
      newestFirst.slice(3).filter((id) => id !== newestFirst[3] && id !== newestFirst[5]),
    );
  });

  it('leaves out tasks whose TTL passed', async () => {
    const { store, clock } = makeStore({}, backendFor);
    await store.create(OWNER, { ttl: 1_000 });
    const keeper = await store.create(OWNER, { ttl: 60_000 });
    clock.advance(5_000);
    expect((await store.list(OWNER)).tasks.map((task) => task.taskId)).toEqual([keeper.taskId]);
  });

  it('rejects cursors it did not issue with InvalidCursorError (-32602)', async () => {
    const { store } = await seeded(3);
    for (const cursor of [
      '',
      'garbage',
      't1.',
      't1.***',
      `t1.${Buffer.from('not-an-id').toString('base64url')}`,
    ]) {
      const error = await store.list(OWNER, { cursor }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InvalidCursorError);
      expect(error).toMatchObject({ code: -32602, message: 'Invalid cursor' });
    }
  });

  it('rejects page sizes outside 1..maxPageSize', async () => {
    const { store } = await seeded(1);
    await expect(store.list(OWNER, { pageSize: 1_001 })).rejects.toBeInstanceOf(LimitExceededError);
    await expect(store.list(OWNER, { pageSize: 0 })).rejects.toMatchObject({ code: -32602 });
  });

  it('skips an unreadable record, reports it, and lists the rest', async () => {
    const unreadable: string[] = [];
    const { store, memory, newestFirst } = await seeded(3, {
      onUnreadableRecord: (key: string) => unreadable.push(key),
    });
    const broken = recordKey(OWNER, newestFirst[1] as string);
    await memory.put(broken, '{not json');
    expect((await store.list(OWNER)).tasks.map((task) => task.taskId)).toEqual([
      newestFirst[0],
      newestFirst[2],
    ]);
    expect(unreadable).toEqual([broken]);
    await expect(store.get(OWNER, newestFirst[1] as string)).rejects.toMatchObject({
      name: 'TaskStorageError',
      code: -32603,
      message: expect.stringContaining(broken),
    });
  });
});

describe('GenericTaskStore listing cost', () => {
  it('reads one page per list call when the backend pages, whatever the owner holds', async () => {
    const context = makeStore({ limits: { maxActiveTasksPerOwner: null } });
    for (let index = 0; index < 300; index += 1) {
      await context.store.create(OWNER);
      context.clock.advance(1);
    }
    const calls: number[] = [];
    const original = context.memory.listPageByPrefix.bind(context.memory);
    context.memory.listPageByPrefix = async (prefix, request) => {
      calls.push(request.limit);
      return original(prefix, request);
    };
    const page = await context.store.list(OWNER, { pageSize: 10 });
    expect(page.tasks).toHaveLength(10);
    expect(calls).toEqual([11]);
  });

  it('creates with two writes when the active-task limit is on, whatever the owner holds, one write when off', async () => {
    const limited = makeStore({}, (memory) => new CountingBackend(memory));
    const counting = limited.backend as CountingBackend;
    await limited.store.create(OWNER);
    expect(counting.calls).toEqual({ get: 1, putIfVersion: 2 });
    for (let index = 0; index < 250; index += 1) {
      const { taskId } = await limited.store.create(OWNER);
      await limited.store.storeResult(OWNER, taskId, 'completed', { index });
      limited.clock.advance(1);
    }
    counting.reset();
    await limited.store.create(OWNER);
    expect(counting.calls).toEqual({ putIfVersion: 2 });
    expect(counting.calls.listByPrefix).toBeUndefined();
    const unlimited = makeStore(
      { limits: { maxActiveTasksPerOwner: null } },
      (memory) => new CountingBackend(memory),
    );
    await unlimited.store.create(OWNER);
    expect((unlimited.backend as CountingBackend).calls).toEqual({ putIfVersion: 1 });
  });
});
