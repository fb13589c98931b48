/** The matchers the conformance suite uses; jest's and vitest's `expect` both provide them. */
export interface Matchers {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toMatchObject(expected: object): void;
  toBeInstanceOf(expected: abstract new (...args: never[]) => unknown): void;
  toBeDefined(): void;
  toBeUndefined(): void;
  toHaveLength(length: number): void;
  toBeGreaterThanOrEqual(expected: number): void;
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
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void> | void, timeoutMs?: number): void;
  beforeEach(body: () => Promise<void> | void): void;
  afterAll(body: () => Promise<void> | void): void;
  expect(actual: unknown): Matchers;
}
