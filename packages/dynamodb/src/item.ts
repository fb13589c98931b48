import { CapacityExceededError, expiresAtOf, type VersionedRecord } from '@tasks/core/backend';
import { type ItemKey, PARTITION_KEY_ATTRIBUTE, SORT_KEY_ATTRIBUTE } from './keys.js';

/** The attribute holding the record's JSON text (a string, readable in the console). */
export const DATA_ATTRIBUTE = 'data';
/** The attribute holding the record's version (a number). */
export const VERSION_ATTRIBUTE = 'version';
/**
 * The table's TTL attribute: epoch seconds, rounded up, present only when the record expires.
 * DynamoDB deletes items by it, late; reads never rely on it.
 */
export const EXPIRES_AT_ATTRIBUTE = 'expires_at';
/** The record's exact expiry in epoch milliseconds: what reads and write conditions compare. */
export const EXPIRES_AT_MS_ATTRIBUTE = 'expires_at_ms';
/** The id of the last `put` (a random UUID), so a resent `put` is recognised and not applied twice. */
export const WRITE_ID_ATTRIBUTE = 'write_id';

/** DynamoDB's item size limit: 400 KB, attribute names and values together. */
export const MAX_ITEM_BYTES = 409_600;

/**
 * The most bytes one number attribute value takes (38 significant digits, 2 per byte, plus one).
 * Sizes count every number at this bound, so an estimate never falls below DynamoDB's count.
 */
const MAX_NUMBER_VALUE_BYTES = 21;

/** When a record expires: exactly (epoch ms) and for native TTL (epoch seconds, rounded up). */
export interface Expiry {
  /** The record's `expiresAt` in epoch milliseconds. */
  millis: number;
  /** The TTL attribute: whole epoch seconds, rounded up, so native TTL never deletes early. */
  seconds: number;
}

/** The expiry of a record from its top-level `expiresAt`; `undefined` when it does not expire. */
export function expiryOf(data: string): Expiry | undefined {
  const millis = expiresAtOf(data);
  return millis === undefined ? undefined : { millis, seconds: Math.ceil(millis / 1000) };
}

/** Whether an item expiring at `expiresAtMillis` (or never) has expired at `nowMillis`. */
export function isExpiredAt(expiresAtMillis: number | undefined, nowMillis: number): boolean {
  return expiresAtMillis !== undefined && expiresAtMillis <= nowMillis;
}

/**
 * The size DynamoDB counts for the item holding `data` under `key`: UTF-8 bytes of every attribute
 * name and string value, numbers at their upper bound.
 */
export function itemSizeBytes(
  key: ItemKey,
  data: string,
  expiry?: Expiry,
  writeId?: string,
): number {
  const stringAttributes: Array<[string, string]> = [
    [PARTITION_KEY_ATTRIBUTE, key.PK],
    [SORT_KEY_ATTRIBUTE, key.SK],
    [DATA_ATTRIBUTE, data],
  ];
  if (writeId !== undefined) stringAttributes.push([WRITE_ID_ATTRIBUTE, writeId]);
  const numberAttributes = [VERSION_ATTRIBUTE];
  if (expiry !== undefined) numberAttributes.push(EXPIRES_AT_ATTRIBUTE, EXPIRES_AT_MS_ATTRIBUTE);
  let bytes = 0;
  for (const [name, value] of stringAttributes) bytes += utf8Bytes(name) + utf8Bytes(value);
  for (const name of numberAttributes) bytes += utf8Bytes(name) + MAX_NUMBER_VALUE_BYTES;
  return bytes;
}

/** Throws `CapacityExceededError` when the item for `data` would pass DynamoDB's item size limit. */
export function assertItemFits(
  storageKey: string,
  key: ItemKey,
  data: string,
  expiry?: Expiry,
  writeId?: string,
): void {
  const bytes = itemSizeBytes(key, data, expiry, writeId);
  if (bytes > MAX_ITEM_BYTES) {
    throw new CapacityExceededError(
      `Record at key '${storageKey}' needs an item of ${bytes} bytes; DynamoDB's limit is ${MAX_ITEM_BYTES}`,
      storageKey,
    );
  }
}

/** The fields of a stored item this backend reads. */
export interface StoredItem extends VersionedRecord {
  /** Epoch milliseconds, or `undefined` when the record does not expire. */
  expiresAtMillis: number | undefined;
}

/**
 * Reads `data`, `version` and the expiry from an item, unmarshalled or in AttributeValue form
 * (`{ N: '3' }`), numbers plain or wrapped (a DocumentClient with `wrapNumbers`). The expiry is
 * `expires_at_ms`; an item written before that attribute existed expires at its `expires_at`
 * seconds. Returns `undefined` when the item lacks a string `data` or a numeric `version`.
 */
export function storedItemOf(item: Record<string, unknown>): StoredItem | undefined {
  const data = stringAttribute(item[DATA_ATTRIBUTE]);
  const version = numberAttribute(item[VERSION_ATTRIBUTE]);
  if (data === undefined || version === undefined) return undefined;
  const millis = numberAttribute(item[EXPIRES_AT_MS_ATTRIBUTE]);
  const seconds = numberAttribute(item[EXPIRES_AT_ATTRIBUTE]);
  const expiresAtMillis = millis ?? (seconds === undefined ? undefined : seconds * 1000);
  return { data, version, expiresAtMillis };
}

function stringAttribute(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isObject(value) && typeof value.S === 'string') return value.S;
  return undefined;
}

function numberAttribute(value: unknown): number | undefined {
  let parsed: number;
  if (typeof value === 'number') parsed = value;
  else if (typeof value === 'bigint') parsed = Number(value);
  else if (isObject(value) && typeof value.N === 'string') parsed = Number(value.N);
  else if (isObject(value) && typeof value.value === 'string') parsed = Number(value.value);
  else return undefined;
  return Number.isFinite(parsed) ? parsed : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
