import type { KeyedRecord, VersionedRecord } from '../backend/contract.js';
import { ContractOnlyBackend } from './contract-only-backend.js';
import type { BackendMethod } from './counting-backend.js';

/** One call a `GatedBackend` passed on: the method and its key (the prefix of a listing). */
export interface BackendCall {
  /** The contract method called. */
  method: BackendMethod;
  /** The key (`get`, `put`, `putIfVersion`, `delete`), the prefix (`listByPrefix`), or `''`. */
  key: string;
}

/** When a held call stops: before it reaches the inner backend, or after (its answer held back). */
export type HoldPoint = 'before' | 'after';

/** A call a `GatedBackend` holds until the test lets it go on. */
export interface Gate {
  /** Resolves with the call once it is held. */
  reached: Promise<BackendCall>;
  /** Lets the held call go on (when called first, the call is not held at all). */
  release(): void;
}

interface PendingGate {
  matches: (call: BackendCall) => boolean;
  point: HoldPoint;
  arrive: (call: BackendCall) => void;
  released: Promise<void>;
}

/**
 * Passes every contract method through and can hold one chosen call at a time, before or after it
 * reaches the inner backend, so a test interleaves concurrent operations deterministically (for
 * example a cancel between an enqueue's check of the task and its write) instead of by luck.
 * Records every call, so a test can bound how many requests an operation made.
 */
export class GatedBackend extends ContractOnlyBackend {
  /** Every call so far, in order. */
  readonly calls: BackendCall[] = [];
  private readonly gates: PendingGate[] = [];

  /**
   * Holds the next call that `matches` at `point` (default `'before'`) until `release()`. Gates
   * are matched in the order they were set; each holds one call.
   */
  hold(matches: (call: BackendCall) => boolean, point: HoldPoint = 'before'): Gate {
    let arrive: (call: BackendCall) => void = () => undefined;
    let release: () => void = () => undefined;
    const reached = new Promise<BackendCall>((resolve) => (arrive = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.gates.push({ matches, point, arrive, released });
    return { reached, release };
  }

  override get(key: string): Promise<VersionedRecord> {
    return this.pass({ method: 'get', key }, () => super.get(key));
  }

  override put(key: string, data: string): Promise<number> {
    return this.pass({ method: 'put', key }, () => super.put(key, data));
  }

  override putIfVersion(key: string, data: string, expectedVersion: number): Promise<number> {
    return this.pass({ method: 'putIfVersion', key }, () =>
      super.putIfVersion(key, data, expectedVersion),
    );
  }

  override delete(key: string): Promise<boolean> {
    return this.pass({ method: 'delete', key }, () => super.delete(key));
  }

  override listByPrefix(prefix: string): Promise<KeyedRecord[]> {
    return this.pass({ method: 'listByPrefix', key: prefix }, () => super.listByPrefix(prefix));
  }

  override cleanupExpired(): Promise<number> {
    return this.pass({ method: 'cleanupExpired', key: '' }, () => super.cleanupExpired());
  }

  private async pass<T>(call: BackendCall, run: () => Promise<T>): Promise<T> {
    this.calls.push(call);
    const at = this.gates.findIndex((gate) => gate.matches(call));
    const gate = at < 0 ? undefined : this.gates.splice(at, 1)[0];
    if (gate === undefined) return run();
    if (gate.point === 'before') {
      gate.arrive(call);
      await gate.released;
      return run();
    }
    const outcome = await run().then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    gate.arrive(call);
    await gate.released;
    if (outcome.ok) return outcome.value;
    throw outcome.error;
  }
}
