import { describe, expect, it } from '@jest/globals';
import { ownerPrefix, recordKey, StorageError } from '@tasks/core';
import fc from 'fast-check';
import {
  InvalidStorageKeyError,
  itemKeyOf,
  partitionKeyOfPrefix,
  storageKeyOf,
} from '../src/keys.js';

describe('item keys', () => {
  it('splits a key at its first colon into OWNER# and TASK# values', () => {
    expect(itemKeyOf('alice:0123')).toEqual({ PK: 'OWNER#alice', SK: 'TASK#0123' });
    expect(itemKeyOf('a%3Ab#queue:x:y')).toEqual({ PK: 'OWNER#a%3Ab#queue', SK: 'TASK#x:y' });
    expect(itemKeyOf('owner:')).toEqual({ PK: 'OWNER#owner', SK: 'TASK#' });
  });

  it('maps the keys the store writes, owner ids with separators included', () => {
    expect(itemKeyOf(recordKey('a:b', 'id1'))).toEqual({ PK: 'OWNER#a%3Ab', SK: 'TASK#id1' });
    expect(itemKeyOf(recordKey('a:b', 'id1', 'queue'))).toEqual({
      PK: 'OWNER#a%3Ab#queue',
      SK: 'TASK#id1',
    });
  });

  it('rebuilds every key exactly from its item key', () => {
    fc.assert(
      fc.property(
        fc.string().filter((partition) => !partition.includes(':')),
        fc.string(),
        (partition, rest) => {
          const key = `${partition}:${rest}`;
          expect(storageKeyOf({ ...itemKeyOf(key) })).toBe(key);
        },
      ),
    );
  });

  it('rejects a key without a colon before any request, as a StorageError', () => {
    const error = (() => {
      try {
        itemKeyOf('no-separator');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidStorageKeyError);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ name: 'InvalidStorageKeyError', key: 'no-separator' });
  });

  it('takes a listing prefix only of the form {partition}:', () => {
    expect(partitionKeyOfPrefix(ownerPrefix('a:b'))).toBe('OWNER#a%3Ab');
    expect(partitionKeyOfPrefix(ownerPrefix('a:b', 'queue'))).toBe('OWNER#a%3Ab#queue');
    for (const prefix of ['owner', 'owner:task', 'a:b:', '']) {
      expect(() => partitionKeyOfPrefix(prefix)).toThrow(InvalidStorageKeyError);
    }
  });

  it('returns undefined for an item that does not have this layout', () => {
    expect(storageKeyOf({ PK: 'USER#a', SK: 'TASK#b' })).toBeUndefined();
    expect(storageKeyOf({ PK: 'OWNER#a', SK: 'ITEM#b' })).toBeUndefined();
    expect(storageKeyOf({ PK: 'OWNER#a' })).toBeUndefined();
  });
});
