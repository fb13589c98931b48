/** The matchers the conformance suite uses; jest's and vitest's `expect` both provide them. */
export interface Matchers {
  /** The value is `expected` (`Object.is`). */
  toBe(expected: unknown): void;
  /** The value deep-equals `expected`. */
  toEqual(expected: unknown): void;
  /** The value holds `expected`'s properties, recursively. */
  toMatchObject(expected: object): void;
  /** The value is an instance of `expected`. */
  toBeInstanceOf(expected: abstract new (...args: never[]) => unknown): void;
  /** The value is not `undefined`. */
  toBeDefined(): void;
  /** The value is `undefined`. */
  toBeUndefined(): void;
  /** The value's `length` is `length`. */
  toHaveLength(length: number): void;
  /** The value is at least `expected`. */
  toBeGreaterThanOrEqual(expected: number): void;
  /** The value is at most `expected`. */
  toBeLessThanOrEqual(expected: number): void;
  /** The same matchers on a promise's rejection. */
  rejects: AsyncMatchers;
}

/** Matchers on a promise's outcome. */
export type AsyncMatchers = {
  [K in Exclude<keyof Matchers, 'rejects'>]: (...args: Parameters<Matchers[K]>) => Promise<unknown>;
};

/**
 * The parts of a test runner the suite is written against: jest's and vitest's globals fit as they
 * are (`import { describe, it, beforeEach, afterAll, expect } from 'vitest'`).
 */
export interface TestRunner {
  /** A group named `name` of the tests and hooks that `body` registers. */
  describe(name: string, body: () => void): void;
  /** One test, with an optional timeout in milliseconds. */
  it(name: string, body: () => Promise<void> | void, timeoutMs?: number): void;
  /** `body` runs before each test of the enclosing group. */
  beforeEach(body: () => Promise<void> | void): void;
  /** `body` runs once after all tests of the enclosing group. */
  afterAll(body: () => Promise<void> | void): void;
  /** The matchers on `actual`. */
  expect(actual: unknown): Matchers;
}
