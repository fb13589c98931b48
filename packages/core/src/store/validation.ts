import {
  assertStringWithin,
  isPlainObject,
  type JsonLimits,
  snapshotJsonObject,
  snapshotJsonValue,
} from '../common/json-limits.js';
import type { InputRequests, InputResponses, JsonObject, TaskFailure } from './task.js';
import { InvalidParamsError } from './task-errors.js';

/** Throws `InvalidParamsError` unless `value` is a positive safe integer. */
export function requirePositiveInteger(what: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidParamsError(`${what} must be a positive integer`);
  }
}

/** Throws unless `value` is absent or a string within `maxLength`. */
export function checkOptionalString(value: unknown, what: string, maxLength: number): void {
  if (value === undefined) return;
  requireString(value, what, maxLength);
}

/** Throws unless `value` is a non-empty string within `maxLength`. */
export function requireString(value: unknown, what: string, maxLength: number): string {
  if (typeof value !== 'string') throw new InvalidParamsError(`${what} must be a string`);
  assertStringWithin(value, maxLength, what);
  return value;
}

/** A copy of a JSON-RPC error `{ code, message, data? }`: an integer code, a string message, JSON data. */
export function failureOf(error: unknown, limits: JsonLimits): TaskFailure {
  if (!isPlainObject(error)) throw new InvalidParamsError('error must be an object');
  const { code, message, data } = error;
  if (typeof code !== 'number' || !Number.isSafeInteger(code)) {
    throw new InvalidParamsError('error.code must be an integer');
  }
  requireString(message, 'error.message', limits.maxStringLength);
  const extra = Object.keys(error).filter((name) => !['code', 'message', 'data'].includes(name));
  if (extra.length > 0) {
    throw new InvalidParamsError(
      `error has members a JSON-RPC error does not: ${extra.join(', ')}`,
    );
  }
  return {
    code,
    message: message as string,
    ...(data === undefined ? {} : { data: snapshotJsonValue(data, limits, 'error.data') }),
  };
}

/** A copy of input requests by key: each `{ method, params? }`, keys non-empty, at least one. */
export function inputRequestsOf(requests: unknown, limits: JsonLimits): InputRequests {
  const copy = snapshotJsonObject(requests, limits, 'inputRequests');
  const keys = Object.keys(copy);
  if (keys.length === 0)
    throw new InvalidParamsError('inputRequests must hold at least one request');
  for (const key of keys) {
    if (key.length === 0) throw new InvalidParamsError('An input request key must not be empty');
    const request = copy[key];
    if (!isPlainObject(request) || typeof request.method !== 'string' || request.method === '') {
      throw new InvalidParamsError(`inputRequests.${key} must be an object with a method`);
    }
    if (request.params !== undefined && !isPlainObject(request.params)) {
      throw new InvalidParamsError(`inputRequests.${key}.params must be an object`);
    }
  }
  return copy as unknown as InputRequests;
}

/** A copy of input responses by key (any JSON each). */
export function inputResponsesOf(responses: unknown, limits: JsonLimits): InputResponses {
  return snapshotJsonObject(responses, limits, 'inputResponses') as JsonObject;
}
