import { describe, expect, it } from '@jest/globals';
import { isTaskId, newTaskId } from '../../src/store/task-id.js';

describe('newTaskId', () => {
  it('starts with the creation time and ends with 128 random bits', () => {
    const id = newTaskId(Date.parse('2030-01-01T00:00:00.000Z'));
    expect(isTaskId(id)).toBe(true);
    expect(Number.parseInt(id.slice(0, 12), 16)).toBeGreaterThanOrEqual(
      Date.parse('2030-01-01T00:00:00.000Z'),
    );
    const randomParts = new Set(Array.from({ length: 200 }, () => newTaskId(0).slice(16)));
    expect(randomParts.size).toBe(200);
  });

  it('orders ids made in the same millisecond, and after the clock steps back', () => {
    const now = Date.parse('2031-06-01T00:00:00.000Z');
    const ids = [
      ...Array.from({ length: 20 }, () => newTaskId(now)),
      newTaskId(now - 5_000),
      newTaskId(now + 1),
    ];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('moves to the next millisecond when one millisecond holds more ids than the sequence', () => {
    const now = Date.parse('2032-01-01T00:00:00.000Z');
    const ids = Array.from({ length: 70_000 }, () => newTaskId(now));
    expect([...ids].sort()).toEqual(ids);
    expect(Number.parseInt(ids.at(-1)?.slice(0, 12) ?? '', 16)).toBe(now + 1);
  });
});
