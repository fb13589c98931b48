export { describeConcurrency } from './concurrency.js';
export { describeBackendConformance } from './conformance.js';
export type {
  BackendFactory,
  ConformanceOptions,
  ResolvedConformanceOptions,
} from './conformance-context.js';
export { resolveOptions } from './conformance-context.js';
export { describeExpiry } from './expiry.js';
export { FakeClock } from '../fake-clock.js';
export { describeListing } from './listing.js';
export { describePayloads } from './payloads.js';
export { describeVersioning } from './versioning.js';
