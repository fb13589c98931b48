import { isPlainObject } from '@tasks/core';
import type { JsonObject } from '@tasks/core';
import { InvalidParamsError } from '@tasks/core';

/**
 * `value` as the JSON object a transport would send: what `JSON.stringify` keeps (properties
 * holding `undefined` dropped, `toJSON` applied). `InvalidParamsError` when it is not one.
 */
export function wireJsonObject(value: unknown, what: string): JsonObject {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new InvalidParamsError(
      `${what} cannot be serialized as JSON: ${(error as Error).message}`,
    );
  }
  const parsed: unknown = text === undefined ? undefined : JSON.parse(text);
  if (!isPlainObject(parsed)) throw new InvalidParamsError(`${what} must be a JSON object`);
  return parsed as JsonObject;
}
