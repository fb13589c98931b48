import type { JsonObject, JsonValue } from '../store/task.js';
import { InvalidParamsError, LimitExceededError } from '../store/task-errors.js';

/** The limits a JSON value is checked against. */
export interface JsonLimits {
  /** Deepest nesting of objects and arrays; a scalar has depth 0, `{}` depth 1. */
  maxDepth: number;
  /** Longest string, object keys included. */
  maxStringLength: number;
}

/**
 * Checks that `value` is plain JSON (finite numbers, no `undefined`, functions, symbols, bigints,
 * class instances or cycles) within `limits`. `what` names the value in error messages.
 */
export function assertJsonValue(
  value: unknown,
  limits: JsonLimits,
  what: string,
): asserts value is JsonValue {
  checkValue(value, limits, what, 0, new Set());
}

/** Checks that `value` is a plain JSON object within `limits`. */
export function assertJsonObject(
  value: unknown,
  limits: JsonLimits,
  what: string,
): asserts value is JsonObject {
  if (!isPlainObject(value)) throw new InvalidParamsError(`${what} must be a JSON object`);
  checkValue(value, limits, what, 0, new Set());
}

/** Checks one string against the string-length limit. */
export function assertStringWithin(value: string, maxStringLength: number, what: string): void {
  if (value.length > maxStringLength) {
    throw new LimitExceededError(
      'stringLength',
      value.length,
      maxStringLength,
      `${what} holds a string of ${value.length} characters; the limit is ${maxStringLength}`,
    );
  }
}

function checkValue(
  value: unknown,
  limits: JsonLimits,
  path: string,
  depth: number,
  ancestors: Set<object>,
): void {
  switch (typeof value) {
    case 'string':
      assertStringWithin(value, limits.maxStringLength, path);
      return;
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value))
        throw new InvalidParamsError(`${path} holds a number that is not finite`);
      return;
    case 'object':
      if (value === null) return;
      checkContainer(value, limits, path, depth + 1, ancestors);
      return;
    default:
      throw new InvalidParamsError(`${path} holds a ${typeof value}, which is not JSON`);
  }
}

function checkContainer(
  value: object,
  limits: JsonLimits,
  path: string,
  depth: number,
  ancestors: Set<object>,
): void {
  if (ancestors.has(value)) throw new InvalidParamsError(`${path} refers back to itself (a cycle)`);
  if (depth > limits.maxDepth) {
    throw new LimitExceededError(
      'variableDepth',
      depth,
      limits.maxDepth,
      `${path} is nested deeper than the limit of ${limits.maxDepth}`,
    );
  }
  if (!Array.isArray(value) && !isPlainObject(value)) {
    throw new InvalidParamsError(`${path} holds an object that is not plain JSON`);
  }
  ancestors.add(value);
  const entries: Array<[string, unknown]> = Array.isArray(value)
    ? value.map((item, index) => [`${path}[${index}]`, item])
    : Object.entries(value).map(([key, item]) => {
        assertStringWithin(key, limits.maxStringLength, `${path} key`);
        return [`${path}.${key.length > 40 ? `${key.slice(0, 40)}…` : key}`, item];
      });
  for (const [itemPath, item] of entries) checkValue(item, limits, itemPath, depth, ancestors);
  ancestors.delete(value);
}

/** Whether `value` is an object literal (or has a null prototype). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * The JSON text of `value`, or `LimitExceededError('recordSize')` when it is longer than
 * `maxBytes` UTF-8 bytes; `what` names the record in the message.
 */
export function serializeWithin(value: object, maxBytes: number, what: string): string {
  const data = JSON.stringify(value);
  const bytes = Buffer.byteLength(data, 'utf8');
  if (bytes > maxBytes) {
    throw new LimitExceededError(
      'recordSize',
      bytes,
      maxBytes,
      `${what} would be ${bytes} bytes; the limit is ${maxBytes}`,
    );
  }
  return data;
}
