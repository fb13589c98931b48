import { randomUUID } from 'node:crypto';
import { type KeyedRecord, supportsPagedListing } from '../backend/contract.js';
import { ownerPrefix } from '../store/keys.js';
import { useBackend } from './backend-hooks.js';
import type { TestRunner } from './runner.js';
import {
  type BackendFactory,
  freshPrefix,
  HOUR_MS,
  recordData,
  type ResolvedConformanceOptions,
} from './conformance-context.js';

/** `listByPrefix` returns exactly one owner's live records in key order; paged listing agrees. */
export function describeListing(
  runner: TestRunner,
  createBackend: BackendFactory,
  options: ResolvedConformanceOptions,
): void {
  const { describe, it, expect } = runner;
  describe('listing', () => {
    const backend = useBackend(runner, createBackend, options);
    const timeout = options.timeoutMs;

    it(
      'returns records in ascending key order, whatever the write order',
      async () => {
        const prefix = freshPrefix();
        const ids = ['0005', '0001', '0004', '0002', '0003', '00010', 'a', 'Z'];
        for (const id of ids) await backend().put(`${prefix}${id}`, recordData({ id }));
        const listed = await backend().listByPrefix(prefix);
        const expected = ids.map((id) => `${prefix}${id}`).sort();
        expect(listed.map(([key]) => key)).toEqual(expected);
        for (const [key, record] of listed) {
          expect(record).toEqual({
            data: recordData({ id: key.slice(prefix.length) }),
            version: 1,
          });
        }
      },
      timeout,
    );

    it(
      'returns an empty list for a prefix with no records',
      async () => {
        expect(await backend().listByPrefix(freshPrefix())).toEqual([]);
      },
      timeout,
    );

    it(
      'never mixes owners, even when one owner id is a prefix of another or holds separators',
      async () => {
        const run = randomUUID();
        const owners = [
          `${run}a`,
          `${run}a:b`,
          `${run}ab`,
          `${run}a#b`,
          `${run}a/b`,
          `OWNER#${run}a`,
          `${run}ä`,
        ];
        for (const owner of owners) {
          await backend().put(`${ownerPrefix(owner)}task`, recordData({ owner }));
          await backend().put(
            `${ownerPrefix(owner, 'queue')}task`,
            recordData({ owner, queue: true }),
          );
        }
        for (const owner of owners) {
          const tasks = await backend().listByPrefix(ownerPrefix(owner));
          expect(tasks.map(([key]) => key)).toEqual([`${ownerPrefix(owner)}task`]);
          expect(JSON.parse(tasks[0]?.[1].data ?? '{}')).toEqual({ owner });
          const queue = await backend().listByPrefix(ownerPrefix(owner, 'queue'));
          expect(queue.map(([key]) => key)).toEqual([`${ownerPrefix(owner, 'queue')}task`]);
        }
      },
      timeout,
    );

    it(
      'leaves out expired records and deleted ones',
      async () => {
        const prefix = freshPrefix();
        const now = Date.now();
        await backend().put(`${prefix}1-live`, recordData({}, now + HOUR_MS));
        await backend().put(`${prefix}2-expired`, recordData({}, now - HOUR_MS));
        await backend().put(`${prefix}3-no-expiry`, recordData({}));
        await backend().put(`${prefix}4-deleted`, recordData({}));
        await backend().delete(`${prefix}4-deleted`);
        const keys = (await backend().listByPrefix(prefix)).map(([key]) => key);
        expect(keys).toEqual([`${prefix}1-live`, `${prefix}3-no-expiry`]);
      },
      timeout,
    );

    if (options.pagedListing) {
      it(
        'reads pages in descending key order that together hold every live record once',
        async () => {
          const store = backend();
          expect(supportsPagedListing(store)).toBe(true);
          if (!supportsPagedListing(store)) return;
          const prefix = freshPrefix();
          const now = Date.now();
          const live: string[] = [];
          for (let index = 0; index < 23; index += 1) {
            const key = `${prefix}${String(index).padStart(4, '0')}`;
            const expired = index % 5 === 0;
            await store.put(key, recordData({ index }, expired ? now - HOUR_MS : now + HOUR_MS));
            if (!expired) live.push(key);
          }
          await store.put(`${ownerPrefix(`${prefix}-neighbour`)}0001`, recordData({}));
          const seen: KeyedRecord[] = [];
          let beforeKey: string | undefined;
          for (let page = 0; page < 10; page += 1) {
            const result = await store.listPageByPrefix(prefix, { limit: 5, beforeKey });
            expect(result.records.length).toBeLessThanOrEqual(5);
            seen.push(...result.records);
            if (result.nextBeforeKey === undefined) break;
            expect(beforeKey === undefined || result.nextBeforeKey < beforeKey).toBe(true);
            beforeKey = result.nextBeforeKey;
          }
          expect(seen.map(([key]) => key)).toEqual([...live].reverse());
          const firstPage = await store.listPageByPrefix(prefix, { limit: 3 });
          expect(firstPage.records.map(([key]) => key)).toEqual(
            [...live].reverse().slice(0, firstPage.records.length),
          );
          expect(firstPage.nextBeforeKey).toBeDefined();
          const all = await store.listPageByPrefix(prefix, { limit: 1000 });
          expect(all.records).toEqual([...(await store.listByPrefix(prefix))].reverse());
          expect(all.nextBeforeKey).toBeUndefined();
        },
        timeout,
      );
    } else {
      it('does not claim the paged listing capability it was declared without', () => {
        expect(supportsPagedListing(backend())).toBe(false);
      });
    }
  });
}
