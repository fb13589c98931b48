import type { JsonObject, JsonValue } from '../store/task.js';
import { InvalidParamsError, LimitExceededError } from '../store/task-errors.js';

/** The limits a JSON value is checked against. */
export interface JsonLimits {
  /** Deepest nesting of objects and arrays; a scalar has depth 0, `{}` depth 1. */
  maxDepth: number;
  /** Longest string, object keys included. */
  maxStringLength: number;
  /** Largest serialized size in UTF-8 bytes; walking stops as soon as it is passed. */
  maxBytes: number;
}

/**
 * A deep copy of `value` as plain JSON (finite numbers, no `undefined`, functions, symbols,
 * bigints, class instances, sparse arrays or cycles), checked against `limits` while it is made.
 * Every property is read once, so what is checked is exactly what is returned (a getter cannot
 * show one value to the check and another to the write), and the walk stops as soon as a limit is
 * passed, so refusing an oversized input costs time bounded by the limit. `what` names the value
 * in error messages.
 */
export function snapshotJsonValue(value: unknown, limits: JsonLimits, what: string): JsonValue {
  return new JsonSnapshot(limits, what).copy(value, what, 0);
}

/** `snapshotJsonValue` for a value that must be a JSON object. */
export function snapshotJsonObject(value: unknown, limits: JsonLimits, what: string): JsonObject {
  if (!isPlainObject(value)) throw new InvalidParamsError(`${what} must be a JSON object`);
  return snapshotJsonValue(value, limits, what) as JsonObject;
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

/** One copy-and-check walk: the bytes counted so far and the containers being copied. */
class JsonSnapshot {
  private bytes = 0;
  private readonly ancestors = new Set<object>();

  constructor(
    private readonly limits: JsonLimits,
    private readonly what: string,
  ) {}

  copy(value: unknown, path: string, depth: number): JsonValue {
    switch (typeof value) {
      case 'string':
        assertStringWithin(value, this.limits.maxStringLength, path);
        this.count(value.length + 2);
        return value;
      case 'boolean':
        this.count(5);
        return value;
      case 'number':
        if (!Number.isFinite(value)) {
          throw new InvalidParamsError(`${path} holds a number that is not finite`);
        }
        this.count(8);
        return value;
      case 'object':
        if (value === null) {
          this.count(4);
          return null;
        }
        return this.container(value, path, depth + 1);
      default:
        throw new InvalidParamsError(`${path} holds a ${typeof value}, which is not JSON`);
    }
  }

  private container(value: object, path: string, depth: number): JsonValue {
    if (this.ancestors.has(value)) {
      throw new InvalidParamsError(`${path} refers back to itself (a cycle)`);
    }
    if (depth > this.limits.maxDepth) {
      throw new LimitExceededError(
        'variableDepth',
        depth,
        this.limits.maxDepth,
        `${path} is nested deeper than the limit of ${this.limits.maxDepth}`,
      );
    }
    this.ancestors.add(value);
    this.count(2);
    let copied: JsonValue;
    if (Array.isArray(value)) copied = this.array(value, path, depth);
    else if (isPlainObject(value)) copied = this.object(value, path, depth);
    else throw new InvalidParamsError(`${path} holds an object that is not plain JSON`);
    this.ancestors.delete(value);
    return copied;
  }

  private array(value: unknown[], path: string, depth: number): JsonValue[] {
    const copied: JsonValue[] = [];
    const length = value.length;
    for (let index = 0; index < length; index += 1) {
      if (!Object.hasOwn(value, index)) {
        throw new InvalidParamsError(`${path}[${index}] is an empty slot (a sparse array)`);
      }
      this.count(1);
      copied.push(this.copy(value[index], `${path}[${index}]`, depth));
    }
    return copied;
  }

  private object(value: Record<string, unknown>, path: string, depth: number): JsonObject {
    const copied: JsonObject = {};
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      assertStringWithin(key, this.limits.maxStringLength, `${path} key`);
      this.count(key.length + 4);
      const item = this.copy(
        value[key],
        `${path}.${key.length > 40 ? `${key.slice(0, 40)}…` : key}`,
        depth,
      );
      if (key === '__proto__') {
        Object.defineProperty(copied, key, {
          value: item,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else {
        copied[key] = item;
      }
    }
    return copied;
  }

  private count(bytes: number): void {
    this.bytes += bytes;
    if (this.bytes > this.limits.maxBytes) {
      throw new LimitExceededError(
        'recordSize',
        this.bytes,
        this.limits.maxBytes,
        `${this.what} is larger than the record limit of ${this.limits.maxBytes} bytes`,
      );
    }
  }
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

/** Freezes `value` and everything in it, so a record shared between callers cannot be changed. */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const item of Object.values(value)) deepFreeze(item);
  return Object.freeze(value);
}
