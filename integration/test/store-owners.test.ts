import { describe, expect, it } from '@jest/globals';
import { encodeOwner, type TaskSnapshot, TaskNotFoundError } from '@tasks/core';
import type { TestTable } from '../src/index.js';
import { queryRawPartition, readRawItem } from './support/raw-items.js';
import { rejectionOf } from './support/rejection.js';
import { storeOn, useTestTable } from './support/table.js';

/** Owner ids that break naive key schemes: separators, prefixes of each other, key syntax, unicode, URLs. */
const HOSTILE_OWNERS = [
  'a',
  'a:b',
  'a%3Ab',
  'a#b',
  'a/b',
  'OWNER#x',
  'OWNER#a',
  'TASK#a',
  'ünïcødé-用户-🎉',
  'https://issuer.invalid/users/a?tenant=b#c',
];

describe('GenericTaskStore on DynamoDB: owner isolation', () => {
  const table = useTestTable('owners');

  it('never lets one owner see or touch another owner’s tasks, whatever the owner ids hold', async () => {
    const store = storeOn(table());
    const tasks = new Map<string, TaskSnapshot[]>();
    for (const owner of HOSTILE_OWNERS) {
      tasks.set(owner, [
        await store.create(owner, { variables: { owner } }),
        await store.create(owner, { variables: { owner, second: true } }),
      ]);
    }
    const itemsBefore = await rawItemsOf(table(), tasks);

    for (const owner of HOSTILE_OWNERS) {
      const listed = await store.list(owner);
      expect(listed.tasks.map((task) => task.taskId).sort()).toEqual(
        (tasks.get(owner) ?? []).map((task) => task.taskId).sort(),
      );
      expect(listed.tasks.every((task) => task.variables.owner === owner)).toBe(true);
    }

    const attempts: Array<Promise<unknown>> = [];
    for (const intruder of HOSTILE_OWNERS) {
      for (const [victim, victimTasks] of tasks) {
        if (victim === intruder) continue;
        for (const { taskId } of victimTasks) {
          attempts.push(
            store.get(intruder, taskId),
            store.getResult(intruder, taskId),
            store.updateStatus(intruder, taskId, 'input_required'),
            store.setStatusMessage(intruder, taskId, 'hijacked'),
            store.setVariables(intruder, taskId, { owner: intruder }),
            store.storeResult(intruder, taskId, 'completed', { stolen: true }),
            store.cancel(intruder, taskId),
          );
        }
      }
    }
    const outcomes = await Promise.all(attempts.map((attempt) => rejectionOf(attempt)));
    expect(outcomes).toHaveLength(HOSTILE_OWNERS.length * (HOSTILE_OWNERS.length - 1) * 2 * 7);
    for (const outcome of outcomes) {
      expect(outcome).toBeInstanceOf(TaskNotFoundError);
      expect(outcome).toMatchObject({ name: 'TaskNotFoundError', message: 'Task not found' });
    }

    expect(await rawItemsOf(table(), tasks)).toEqual(itemsBefore);
    for (const [owner, ownerTasks] of tasks) {
      for (const task of ownerTasks) expect(await store.get(owner, task.taskId)).toEqual(task);
    }
  });

  it('gives every owner a partition of its own in the table', async () => {
    const store = storeOn(table());
    const run = `partition-${Date.now()}`;
    const owners = HOSTILE_OWNERS.map((owner) => `${owner}${run}`);
    for (const owner of owners) await store.create(owner);
    const partitions = new Set<string>();
    for (const owner of owners) {
      const { items } = await queryRawPartition(table(), owner);
      expect(items).toHaveLength(1);
      expect(items[0]?.PK).toBe(`OWNER#${encodeOwner(owner)}`);
      expect(JSON.parse(String(items[0]?.data))).toMatchObject({ owner });
      partitions.add(String(items[0]?.PK));
    }
    expect(partitions.size).toBe(owners.length);
  });
});

/** The raw items of every task, in a stable order. */
async function rawItemsOf(
  table: TestTable,
  tasks: Map<string, TaskSnapshot[]>,
): Promise<unknown[]> {
  const items: unknown[] = [];
  for (const [owner, ownerTasks] of tasks) {
    for (const { taskId } of ownerTasks) items.push(await readRawItem(table, owner, taskId));
  }
  return items;
}
