import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { INVALID_PARAMS_CODE, TaskError, TaskOutcomeUnknownError } from '@tasks/core';
import { seededRandom } from '@tasks/core/testing';
import type { FaultedWrite, WriteFault } from './fault-proxy.js';

/** How a faulted write loses its responses. */
export type FaultMode = 'resend' | 'resendTwice' | 'interleaved' | 'allLost';

/** What a mode does and what the caller must see. */
export interface ModeSpec {
  /** Responses the proxy drops, from the first attempt on. */
  dropResponses: number;
  /** Attempts the SDK sends (at least). */
  attempts: number;
  /** How the call must end. */
  expected: 'success' | 'outcomeUnknown';
}

/** What `mode` does to a write whose client makes `maxAttempts` attempts. */
export function modeSpec(mode: FaultMode, maxAttempts: number): ModeSpec {
  switch (mode) {
    case 'resend':
      // The first response is lost; the SDK's resend meets our own write: success.
      return { dropResponses: 1, attempts: 2, expected: 'success' };
    case 'resendTwice':
      // The first two are lost; the third attempt meets our own write: success.
      return { dropResponses: 2, attempts: 3, expected: 'success' };
    case 'interleaved':
      // The first is lost and another writer writes before the resend: found in the history.
      return { dropResponses: 1, attempts: 2, expected: 'success' };
    case 'allLost':
      // Every response is lost: nobody can tell, the caller gets TaskOutcomeUnknownError.
      return { dropResponses: maxAttempts, attempts: maxAttempts, expected: 'outcomeUnknown' };
  }
}

/** The modes of successive faulted writes, drawn from a seeded sequence (the same every run). */
export function faultModes(seed: number): () => FaultMode {
  const random = seededRandom(seed);
  return () => {
    const draw = random();
    if (draw < 0.6) return 'resend';
    if (draw < 0.75) return 'resendTwice';
    if (draw < 0.9) return 'interleaved';
    return 'allLost';
  };
}

/**
 * The proxy fault of `mode` for a client making `maxAttempts` attempts; `another` is the other
 * writer of the `interleaved` mode.
 */
export function faultOf(
  mode: FaultMode,
  maxAttempts: number,
  another: () => Promise<void>,
): WriteFault {
  return {
    dropResponses: modeSpec(mode, maxAttempts).dropResponses,
    ...(mode === 'interleaved' ? { beforeResend: another } : {}),
  };
}

/** The counts a fault run reports. */
export interface FaultCounts {
  /** Writes whose responses the proxy dropped after DynamoDB applied them. */
  faultedWrites: number;
  /** Faulted calls that succeeded with the right answer. */
  succeeded: number;
  /** Faulted calls that failed with TaskOutcomeUnknownError (every response lost). */
  outcomeUnknown: number;
  /** Writes missing from the record, and queued messages gone without being delivered. */
  lost: number;
  /** Writes applied twice, and messages queued or delivered twice. */
  duplicated: number;
  /** Faulted calls refused with a domain error (-32602), or failing with any other error. */
  falseDomainErrors: number;
}

/** How a faulted call settled. */
export type Settlement = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Runs `call` and reports how it settled. */
export function settle(call: () => Promise<unknown>): Promise<Settlement> {
  return call().then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/**
 * The counts of one fault run and the problems behind any count that should be 0: every faulted
 * call is judged on how it settled and on what the table holds afterwards.
 */
export class FaultLedger {
  readonly counts: FaultCounts = {
    faultedWrites: 0,
    succeeded: 0,
    outcomeUnknown: 0,
    lost: 0,
    duplicated: 0,
    falseDomainErrors: 0,
  };
  /** Faulted writes per mode. */
  readonly modes: Record<FaultMode, number> = {
    resend: 0,
    resendTwice: 0,
    interleaved: 0,
    allLost: 0,
  };
  /** One line per thing that went wrong, for the assertion message. */
  readonly problems: string[] = [];

  /** `maxAttempts`: the attempts per request of the clients whose writes are faulted. */
  constructor(readonly maxAttempts: number) {}

  /**
   * Counts how the faulted call `label` (in `mode`) settled; `true` when it succeeded. A success
   * where every response was lost, or an unknown outcome where a resend could tell, is a problem.
   */
  judge(label: string, mode: FaultMode, settlement: Settlement, write?: FaultedWrite): boolean {
    this.counts.faultedWrites += 1;
    this.modes[mode] += 1;
    this.checkWrite(label, mode, write);
    const { expected } = modeSpec(mode, this.maxAttempts);
    if (settlement.ok) {
      this.counts.succeeded += 1;
      if (expected !== 'success')
        this.problem(`${label} (${mode}) succeeded though no answer came`);
      return true;
    }
    const error = causeOf(settlement.error);
    if (error instanceof TaskOutcomeUnknownError) {
      this.counts.outcomeUnknown += 1;
      if (expected !== 'outcomeUnknown') this.problem(`${label} (${mode}): outcome unknown`);
      return false;
    }
    this.counts.falseDomainErrors += 1;
    const kind =
      error instanceof TaskError && error.code === INVALID_PARAMS_CODE ? 'domain' : 'other';
    this.problem(
      `${label} (${mode}) failed with a ${kind} error: ${describeError(settlement.error)}`,
    );
    return false;
  }

  /** Counts `count` lost writes or messages, with what was seen. */
  lost(count: number, detail: string): void {
    if (count <= 0) return;
    this.counts.lost += count;
    this.problem(`lost ${count}: ${detail}`);
  }

  /** Counts `count` writes or messages applied or delivered twice, with what was seen. */
  duplicated(count: number, detail: string): void {
    if (count <= 0) return;
    this.counts.duplicated += count;
    this.problem(`duplicated ${count}: ${detail}`);
  }

  /** Records a problem that has no count of its own. */
  problem(detail: string): void {
    this.problems.push(detail);
  }

  /** Adds another ledger's counts and problems to this one. */
  add(other: FaultLedger): void {
    for (const name of Object.keys(this.counts) as Array<keyof FaultCounts>) {
      this.counts[name] += other.counts[name];
    }
    for (const mode of Object.keys(this.modes) as FaultMode[])
      this.modes[mode] += other.modes[mode];
    this.problems.push(...other.problems);
  }

  /** One line of every count, for the test output. */
  format(title: string): string {
    const { faultedWrites, succeeded, outcomeUnknown, lost, duplicated, falseDomainErrors } =
      this.counts;
    const { resend, resendTwice, interleaved, allLost } = this.modes;
    return `${title}: ${faultedWrites} faulted writes (${resend} first response lost, ${resendTwice} first two lost, ${interleaved} first lost with another write before the resend, ${allLost} all ${this.maxAttempts} lost): ${succeeded} succeeded, ${outcomeUnknown} outcome unknown (TaskOutcomeUnknownError), ${lost} lost, ${duplicated} duplicated, ${falseDomainErrors} false domain errors`;
  }

  /** What the proxy saw must match the mode: the first attempt applied, the answers dropped. */
  private checkWrite(label: string, mode: FaultMode, write: FaultedWrite | undefined): void {
    const { dropResponses, attempts } = modeSpec(mode, this.maxAttempts);
    if (write === undefined) {
      this.problem(`${label} (${mode}): the proxy saw no write to fault`);
      return;
    }
    if (write.firstStatus !== 200) {
      this.problem(
        `${label} (${mode}): DynamoDB answered ${write.firstStatus} to the first attempt`,
      );
    }
    // An attempt that also ran out of time (a loaded machine) adds one; none may be missing.
    if (write.attempts < attempts || write.dropped !== dropResponses) {
      this.problem(
        `${label} (${mode}): ${write.attempts} attempts and ${write.dropped} dropped, expected ${attempts} and ${dropResponses}`,
      );
    }
  }
}

/** The task error behind `error`: the adapters wrap it in an `McpError` as its cause. */
function causeOf(error: unknown): unknown {
  return error instanceof McpError && error.cause !== undefined ? error.cause : error;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
