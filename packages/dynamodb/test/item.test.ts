import { describe, expect, it } from '@jest/globals';
import { CapacityExceededError } from '@tasks/core/backend';
import { FakeClock } from '@tasks/core/testing';
import {
  assertItemFits,
  expiresAtSecondsOf,
  isExpiredAt,
  itemSizeBytes,
  MAX_ITEM_BYTES,
  nowSecondsOf,
  storedItemOf,
} from '../src/item.js';

describe('expiry in epoch seconds', () => {
  it('rounds expiresAt down to whole seconds and ignores records without one', () => {
    expect(expiresAtSecondsOf('{"expiresAt":"2026-01-01T00:00:10.999Z"}')).toBe(1_767_225_610);
    expect(expiresAtSecondsOf('{"expiresAt":"2026-01-01T00:00:10.000Z"}')).toBe(1_767_225_610);
    expect(expiresAtSecondsOf('{"nested":{"expiresAt":"2026-01-01T00:00:10Z"}}')).toBeUndefined();
    expect(expiresAtSecondsOf('{"expiresAt":null}')).toBeUndefined();
  });

  it('treats an item as expired from the second its expires_at names', () => {
    const clock = new FakeClock(Date.parse('2026-01-01T00:00:10.500Z'));
    const now = nowSecondsOf(clock);
    expect(now).toBe(1_767_225_610);
    expect(isExpiredAt(now, now)).toBe(true);
    expect(isExpiredAt(now - 1, now)).toBe(true);
    expect(isExpiredAt(now + 1, now)).toBe(false);
    expect(isExpiredAt(undefined, now)).toBe(false);
  });

  it('never returns a record after its expiresAt, whatever the milliseconds', () => {
    const expiresAt = Date.parse('2026-01-01T00:00:10.999Z');
    const data = JSON.stringify({ expiresAt: new Date(expiresAt).toISOString() });
    const clock = new FakeClock(expiresAt);
    expect(isExpiredAt(expiresAtSecondsOf(data), nowSecondsOf(clock))).toBe(true);
  });
});

describe('item size', () => {
  const key = { PK: 'OWNER#o', SK: 'TASK#t' };

  it('counts UTF-8 bytes of names and string values, numbers at 21 bytes', () => {
    const names = 'PK'.length + 'SK'.length + 'data'.length + 'version'.length;
    expect(itemSizeBytes(key, 'é🎉')).toBe(names + 7 + 6 + 6 + 21);
    expect(itemSizeBytes(key, 'é🎉', 1)).toBe(names + 7 + 6 + 6 + 21 + 'expires_at'.length + 21);
  });

  it('accepts an item at the limit and rejects one byte more before any request', () => {
    const overhead = itemSizeBytes(key, '');
    const fits = 'x'.repeat(MAX_ITEM_BYTES - overhead);
    expect(() => assertItemFits('o:t', key, fits)).not.toThrow();
    const error = (() => {
      try {
        assertItemFits('o:t', key, `${fits}x`);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CapacityExceededError);
    expect(error).toMatchObject({ name: 'CapacityExceededError', key: 'o:t' });
  });
});

describe('stored items', () => {
  it('reads unmarshalled, AttributeValue and wrapped-number forms alike', () => {
    const expected = { data: '{}', version: 3, expiresAtSeconds: 99 };
    expect(storedItemOf({ data: '{}', version: 3, expires_at: 99 })).toEqual(expected);
    expect(
      storedItemOf({ data: { S: '{}' }, version: { N: '3' }, expires_at: { N: '99' } }),
    ).toEqual(expected);
    expect(storedItemOf({ data: '{}', version: { value: '3' }, expires_at: 99n })).toEqual(
      expected,
    );
    expect(storedItemOf({ data: '{}', version: 3 })).toEqual({
      ...expected,
      expiresAtSeconds: undefined,
    });
  });

  it('returns undefined for an item without string data or numeric version', () => {
    expect(storedItemOf({ version: 1 })).toBeUndefined();
    expect(storedItemOf({ data: '{}' })).toBeUndefined();
    expect(storedItemOf({ data: '{}', version: 'three' })).toBeUndefined();
    expect(storedItemOf({ data: 7, version: 1 })).toBeUndefined();
  });
});
