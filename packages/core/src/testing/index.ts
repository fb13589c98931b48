/**
 * The backend conformance suite for any test runner (`defineBackendConformance` and its groups),
 * with the test doubles it uses: `FakeClock`, `CountingBackend`, `ContractOnlyBackend`.
 *
 * @module @tasks/core/testing
 */
export { describeConcurrency } from './concurrency.js';
export { defineBackendConformance } from './conformance.js';
export type {
  BackendFactory,
  ClockedBackendFactory,
  ConformanceOptions,
  ResolvedConformanceOptions,
} from './conformance-context.js';
export { resolveOptions } from './conformance-context.js';
export { ContractOnlyBackend } from './contract-only-backend.js';
export type { BackendMethod } from './counting-backend.js';
export { CountingBackend } from './counting-backend.js';
export { describeExactlyOnce } from './exactly-once.js';
export { describeExpiry } from './expiry.js';
export { FakeClock } from './fake-clock.js';
export type { BackendCall, Gate, HoldPoint } from './gated-backend.js';
export { GatedBackend } from './gated-backend.js';
export { describeListing } from './listing.js';
export type { LossSelector, LossyBackendOptions, LossyWrite } from './lossy-backend.js';
export { everyNthWrite, LossyBackend, seededRandom, seededWrites } from './lossy-backend.js';
export { describeLostAnswers } from './lost-answers.js';
export { describePayloads } from './payloads.js';
export type { AsyncMatchers, Matchers, TestRunner } from './runner.js';
export { describeVersioning } from './versioning.js';
