import { KEY_SEPARATOR } from '../backend/contract.js';
import { InvalidParamsError } from './task-errors.js';

/** The longest encoded owner id accepted, so keys fit DynamoDB's 2,048-byte partition key. */
export const MAX_ENCODED_OWNER_LENGTH = 1024;

/**
 * Encodes an owner id for use in keys. The encoding (percent-encoding) is injective and never
 * contains `:` or `#`, so no owner's prefix is a prefix of another owner's keys, whatever the
 * owner id holds (`:`, `#`, `/`, spaces, unicode, URLs).
 */
export function encodeOwner(ownerId: string): string {
  if (typeof ownerId !== 'string' || ownerId.length === 0) {
    throw new InvalidParamsError('Owner id must be a non-empty string');
  }
  let encoded: string;
  try {
    encoded = encodeURIComponent(ownerId);
  } catch {
    throw new InvalidParamsError('Owner id must be well-formed unicode');
  }
  if (encoded.length > MAX_ENCODED_OWNER_LENGTH) {
    throw new InvalidParamsError(
      `Owner id is too long: ${encoded.length} characters encoded, at most ${MAX_ENCODED_OWNER_LENGTH}`,
    );
  }
  return encoded;
}

/**
 * The key prefix of one owner's records in a namespace. The default namespace holds tasks;
 * another (for example `queue`) gives the owner a separate partition that task listings never read.
 */
export function ownerPrefix(ownerId: string, namespace?: string): string {
  if (namespace === undefined) {
    const known = taskPrefixes.get(ownerId);
    if (known !== undefined) return known;
  }
  const partition =
    namespace === undefined ? encodeOwner(ownerId) : `${encodeOwner(ownerId)}#${namespace}`;
  const prefix = `${partition}${KEY_SEPARATOR}`;
  if (namespace === undefined) rememberPrefix(ownerId, prefix);
  return prefix;
}

/** Task key prefixes of recently seen owners, so a hot owner is encoded once. */
const taskPrefixes = new Map<string, string>();

/** Owners whose prefix is remembered at most. */
const REMEMBERED_PREFIXES = 1_000;

function rememberPrefix(ownerId: string, prefix: string): void {
  if (taskPrefixes.size >= REMEMBERED_PREFIXES) taskPrefixes.clear();
  taskPrefixes.set(ownerId, prefix);
}

/** The key of record `id` of `ownerId` in a namespace (tasks by default). */
export function recordKey(ownerId: string, id: string, namespace?: string): string {
  return `${ownerPrefix(ownerId, namespace)}${id}`;
}

/** The id part of a key: everything after the first separator. */
export function idOfKey(key: string): string {
  const at = key.indexOf(KEY_SEPARATOR);
  return at < 0 ? key : key.slice(at + 1);
}
