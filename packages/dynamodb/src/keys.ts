import { KEY_SEPARATOR, StorageError } from '@tasks/core/backend';

/** The partition key attribute: `OWNER#{partition}`. */
export const PARTITION_KEY_ATTRIBUTE = 'PK';
/** The sort key attribute: `TASK#{id}`. */
export const SORT_KEY_ATTRIBUTE = 'SK';

const PARTITION_PREFIX = 'OWNER#';
const SORT_PREFIX = 'TASK#';

/** The primary key of one item, as the DocumentClient takes it. */
export interface ItemKey {
  /** `OWNER#{partition}`: everything before the first `:` of the storage key. */
  PK: string;
  /** `TASK#{id}`: everything after the first `:` of the storage key. */
  SK: string;
}

/**
 * A storage key or prefix this backend cannot map to the table: keys must hold a `:` (the store
 * always writes `{encodedOwner}:{id}`), and prefixes must be exactly `{encodedOwner}:`. A
 * programming error, thrown before any request.
 */
export class InvalidStorageKeyError extends StorageError {
  constructor(
    /** The key or prefix refused. */
    readonly key: string,
    reason: string,
  ) {
    super(`Invalid storage key '${key}': ${reason}`);
    this.name = 'InvalidStorageKeyError';
  }
}

/** The item key of storage key `{partition}:{id}`; the partition ends at the first `:`. */
export function itemKeyOf(key: string): ItemKey {
  const at = typeof key === 'string' ? key.indexOf(KEY_SEPARATOR) : -1;
  if (at < 0) {
    throw new InvalidStorageKeyError(
      String(key),
      `it must have the form {partition}${KEY_SEPARATOR}{id}`,
    );
  }
  return {
    PK: `${PARTITION_PREFIX}${key.slice(0, at)}`,
    SK: `${SORT_PREFIX}${key.slice(at + 1)}`,
  };
}

/** The partition key value (`OWNER#{partition}`) of a prefix, which must be exactly `{partition}:`. */
export function partitionKeyOfPrefix(prefix: string): string {
  const at = typeof prefix === 'string' ? prefix.indexOf(KEY_SEPARATOR) : -1;
  if (at < 0 || at !== prefix.length - 1) {
    throw new InvalidStorageKeyError(
      String(prefix),
      `a listing prefix must have the form {partition}${KEY_SEPARATOR}`,
    );
  }
  return `${PARTITION_PREFIX}${prefix.slice(0, at)}`;
}

/**
 * The storage key an item was stored under, rebuilt exactly from its `PK` and `SK`; `undefined`
 * when the item does not have this backend's key layout.
 */
export function storageKeyOf(item: Record<string, unknown>): string | undefined {
  const partitionKey = item[PARTITION_KEY_ATTRIBUTE];
  const sortKey = item[SORT_KEY_ATTRIBUTE];
  if (typeof partitionKey !== 'string' || !partitionKey.startsWith(PARTITION_PREFIX)) {
    return undefined;
  }
  if (typeof sortKey !== 'string' || !sortKey.startsWith(SORT_PREFIX)) return undefined;
  return `${partitionKey.slice(PARTITION_PREFIX.length)}${KEY_SEPARATOR}${sortKey.slice(SORT_PREFIX.length)}`;
}
