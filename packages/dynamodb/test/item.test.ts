import { describe, expect, it } from '@jest/globals';
import { CapacityExceededError } from '@tasks/core/backend';
import { FakeClock } from '@tasks/core/testing';
import {
  assertItemFits,
  expiryOf,
  isExpiredAt,
  itemSizeBytes,
  MAX_ITEM_BYTES,
  storedItemOf,
} from '../src/item.js';

describe('expiry', () => {
  it('keeps expiresAt to the millisecond and rounds the TTL attribute up, never down', () => {
    expect(expiryOf('{"expiresAt":"2026-01-01T00:00:10.001Z"}')).toEqual({
      millis: 1_767_225_610_001,
      seconds: 1_767_225_611,
    });
    expect(expiryOf('{"expiresAt":"2026-01-01T00:00:10.000Z"}')).toEqual({
      millis: 1_767_225_610_000,
      seconds: 1_767_225_610,
    });
    expect(expiryOf('{"nested":{"expiresAt":"2026-01-01T00:00:10Z"}}')).toBeUndefined();
    expect(expiryOf('{"expiresAt":null}')).toBeUndefined();
  });

  it('treats an item as expired from the millisecond its expiry names, not a second early', () => {
    const clock = new FakeClock(Date.parse('2026-01-01T00:00:10.600Z'));
    const expiresAt = clock.now() + 400;
    expect(isExpiredAt(expiresAt, clock.now())).toBe(false);
    clock.advance(399);
    expect(isExpiredAt(expiresAt, clock.now())).toBe(false);
    clock.advance(1);
    expect(isExpiredAt(expiresAt, clock.now())).toBe(true);
    expect(isExpiredAt(undefined, clock.now())).toBe(false);
  });
});

describe('item size', () => {
  const key = { PK: 'OWNER#o', SK: 'TASK#t' };

  it('counts UTF-8 bytes of names and string values, numbers at 21 bytes', () => {
    const names = 'PK'.length + 'SK'.length + 'data'.length + 'version'.length;
    expect(itemSizeBytes(key, 'é🎉')).toBe(names + 7 + 6 + 6 + 21);
    expect(itemSizeBytes(key, 'é🎉', { millis: 1_000, seconds: 1 })).toBe(
      names + 7 + 6 + 6 + 21 + 'expires_at'.length + 21 + 'expires_at_ms'.length + 21,
    );
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
    const expected = { data: '{}', version: 3, expiresAtMillis: 99_250 };
    expect(
      storedItemOf({ data: '{}', version: 3, expires_at: 100, expires_at_ms: 99_250 }),
    ).toEqual(expected);
    expect(
      storedItemOf({
        data: { S: '{}' },
        version: { N: '3' },
        expires_at: { N: '100' },
        expires_at_ms: { N: '99250' },
      }),
    ).toEqual(expected);
    expect(
      storedItemOf({
        data: '{}',
        version: { value: '3' },
        expires_at: 100n,
        expires_at_ms: 99_250n,
      }),
    ).toEqual(expected);
    expect(storedItemOf({ data: '{}', version: 3 })).toEqual({
      ...expected,
      expiresAtMillis: undefined,
    });
  });

  it('reads an item written before expires_at_ms as expiring at its expires_at second', () => {
    expect(storedItemOf({ data: '{}', version: 1, expires_at: 99 })).toEqual({
      data: '{}',
      version: 1,
      expiresAtMillis: 99_000,
    });
  });

  it('returns undefined for an item without string data or numeric version', () => {
    expect(storedItemOf({ version: 1 })).toBeUndefined();
    expect(storedItemOf({ data: '{}' })).toBeUndefined();
    expect(storedItemOf({ data: '{}', version: 'three' })).toBeUndefined();
    expect(storedItemOf({ data: 7, version: 1 })).toBeUndefined();
  });
});
