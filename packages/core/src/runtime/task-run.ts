import { systemTimers, type Timers } from '../common/timers.js';
import { WORKER_LOST_MESSAGE } from '../store/lease.js';
import type { GenericTaskStore } from '../store/store.js';
import {
  type InputRequests,
  type InputResponses,
  isTerminalStatus,
  type JsonObject,
  type JsonValue,
  type TaskFailure,
  type TaskSnapshot,
} from '../store/task.js';
import { TaskError } from '../store/task-errors.js';
import { TaskWatcher } from './task-watcher.js';

/** Options of `TaskRun.start`. */
export interface TaskRunOptions {
  /** This worker's name in the lease, for example an instance id. */
  holder: string;
  /** How long each grant or renewal of the lease lasts, in ms (default 30,000). */
  leaseMs?: number;
  /** Time between renewals, in ms (default a third of `leaseMs`: two renewals may fail in a row). */
  renewEveryMs?: number;
  /** Time between reads that watch for cancel and input responses, in ms (default 1,000). */
  pollIntervalMs?: number;
  /** A watcher to share with other runs of this process (default: one of the run's own). */
  watcher?: TaskWatcher;
  /** Where waits are scheduled (default: Node's timers; a `FakeClock` in tests). */
  timers?: Timers;
}

/** Why a run's signal fired. */
export class TaskRunAbortedError extends Error {
  constructor(
    /** The task of the run. */
    readonly taskId: string,
    /**
     * Why: the task was cancelled, ended otherwise (completed or failed elsewhere), the worker lost
     * its lease, or the task is gone (expired or deleted).
     */
    readonly reason: 'cancelled' | 'ended' | 'lease-lost' | 'gone',
    message: string,
  ) {
    super(message);
    this.name = 'TaskRunAbortedError';
  }
}

/**
 * The worker's side of a running task, protocol-neutral: it holds the task's lease and renews it,
 * watches the task (one read per poll interval), and aborts `signal` within one interval when the
 * task is cancelled or ended on any instance, or the lease is lost. Everything goes through the
 * store, so the worker need not run in the process that created the task.
 */
export class TaskRun {
  private readonly controller = new AbortController();
  private readonly watchController = new AbortController();
  private renewTimer: unknown;
  private stopped = false;
  private latest: TaskSnapshot;
  private readonly changeListeners = new Set<(snapshot: TaskSnapshot) => void>();

  private constructor(
    private readonly store: GenericTaskStore,
    /** The owner of the task. */
    readonly owner: string,
    /** The task this run works on. */
    readonly taskId: string,
    private readonly options: Required<Omit<TaskRunOptions, 'watcher'>> & { watcher: TaskWatcher },
    claimed: TaskSnapshot,
  ) {
    this.latest = claimed;
  }

  /**
   * Takes the task's lease for `options.holder` (handing it over from whoever created the task) and
   * starts renewing and watching. `LeaseLostError` when the task has already ended.
   */
  static async start(
    store: GenericTaskStore,
    owner: string,
    taskId: string,
    options: TaskRunOptions,
  ): Promise<TaskRun> {
    const leaseMs = options.leaseMs ?? 30_000;
    const resolved = {
      holder: options.holder,
      leaseMs,
      renewEveryMs: options.renewEveryMs ?? Math.max(1, Math.floor(leaseMs / 3)),
      pollIntervalMs: options.pollIntervalMs ?? 1_000,
      timers: options.timers ?? systemTimers,
      watcher:
        options.watcher ??
        new TaskWatcher(store, {
          intervalMs: options.pollIntervalMs ?? 1_000,
          timers: options.timers ?? systemTimers,
        }),
    };
    if (!Number.isSafeInteger(resolved.renewEveryMs) || resolved.renewEveryMs >= leaseMs) {
      throw new RangeError('renewEveryMs must be a positive integer below leaseMs');
    }
    const claimed = await store.claimLease(owner, taskId, {
      holder: resolved.holder,
      durationMs: leaseMs,
    });
    const run = new TaskRun(store, owner, taskId, resolved, claimed);
    run.scheduleRenewal();
    void run.watch();
    return run;
  }

  /** Fires when the task is cancelled or ended elsewhere, or the lease is lost; `reason` says which. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The task as this run last read or wrote it. */
  get task(): TaskSnapshot {
    return this.latest;
  }

  /** The task's variables as last read. */
  get variables(): JsonObject {
    return this.latest.variables;
  }

  /** Replaces the status message (a progress report). */
  async reportStatus(statusMessage: string): Promise<TaskSnapshot> {
    return this.track(this.store.setStatusMessage(this.owner, this.taskId, statusMessage));
  }

  /** Merges `patch` into the task's variables. */
  async setVariables(patch: Record<string, JsonValue>): Promise<TaskSnapshot> {
    return this.track(this.store.setVariables(this.owner, this.taskId, patch));
  }

  /**
   * Asks the client for input and waits for every response: the task reads `input_required` with
   * `requests` outstanding until the client has answered them all (through any instance), then the
   * responses are taken (exactly once) and returned. Rejects with the abort reason if the run is
   * aborted meanwhile.
   */
  async requestInput(requests: InputRequests, statusMessage?: string): Promise<InputResponses> {
    const keys = Object.keys(requests);
    await this.track(this.store.requestInput(this.owner, this.taskId, requests, statusMessage));
    await this.until((task) => keys.every((key) => Object.hasOwn(task.inputResponses ?? {}, key)));
    return this.store.takeInputResponses(this.owner, this.taskId, keys);
  }

  /** Ends the task as `completed` with `result`, and stops the run. */
  async complete(result: JsonValue, statusMessage?: string): Promise<TaskSnapshot> {
    return this.finish(
      this.store.storeResult(this.owner, this.taskId, 'completed', result, statusMessage),
    );
  }

  /** Ends the task as `failed` with the JSON-RPC `error`, and stops the run. */
  async fail(error: TaskFailure, statusMessage?: string): Promise<TaskSnapshot> {
    return this.finish(this.store.fail(this.owner, this.taskId, error, statusMessage));
  }

  /** Stops renewing and watching (the lease then lapses unless the task has ended). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.options.timers.clearTimeout(this.renewTimer);
    this.watchController.abort();
  }

  private async finish(ending: Promise<TaskSnapshot>): Promise<TaskSnapshot> {
    try {
      return await this.track(ending);
    } finally {
      this.stop();
    }
  }

  /**
   * Awaits one of the run's writes and remembers the task it wrote. A write refused because the
   * task ended elsewhere (a cancel on another instance that the watcher has not read yet) aborts
   * the signal first, with the reason the task ended, so the handler's error is known for what it is.
   */
  private async track(write: Promise<TaskSnapshot>): Promise<TaskSnapshot> {
    let snapshot: TaskSnapshot;
    try {
      snapshot = await write;
    } catch (error) {
      if (error instanceof TaskError && error.name === 'InvalidTransitionError') {
        await this.abortIfEnded();
      }
      throw error;
    }
    this.observe(snapshot);
    return snapshot;
  }

  /** Resolves once a read of the task satisfies `done`; rejects with the abort reason first. */
  private until(done: (task: TaskSnapshot) => boolean): Promise<void> {
    if (done(this.latest)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.changeListeners.delete(listener);
        reject(this.signal.reason);
      };
      const listener = (task: TaskSnapshot): void => {
        if (!done(task)) return;
        this.changeListeners.delete(listener);
        this.signal.removeEventListener('abort', onAbort);
        resolve();
      };
      if (this.signal.aborted) {
        onAbort();
        return;
      }
      this.signal.addEventListener('abort', onAbort, { once: true });
      this.changeListeners.add(listener);
    });
  }

  private observe(snapshot: TaskSnapshot): void {
    this.latest = snapshot;
    for (const listener of [...this.changeListeners]) listener(snapshot);
  }

  private async watch(): Promise<void> {
    try {
      for await (const snapshot of this.options.watcher.watch(this.owner, this.taskId, {
        signal: this.watchController.signal,
      })) {
        this.observe(snapshot);
        if (isTerminalStatus(snapshot.status) && !this.stopped) this.abortEnded(snapshot);
      }
    } catch (error) {
      if (!this.stopped) this.abort('gone', (error as Error).message);
    }
  }

  private scheduleRenewal(): void {
    if (this.stopped) return;
    this.renewTimer = this.options.timers.setTimeout(
      () => void this.renew(),
      this.options.renewEveryMs,
    );
  }

  private async renew(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.store.renewLease(this.owner, this.taskId, {
        holder: this.options.holder,
        durationMs: this.options.leaseMs,
      });
    } catch (error) {
      if (
        error instanceof TaskError &&
        ['LeaseLostError', 'TaskNotFoundError'].includes(error.name)
      ) {
        if (!(await this.abortIfEnded(error.message))) this.abort('lease-lost', error.message);
        return;
      }
    }
    this.scheduleRenewal();
  }

  /**
   * Reads the task and aborts when it has ended: `lease-lost` (with `leaseLostMessage`) when its
   * lease lapsed, else as `abortEnded` does. Returns whether it aborted.
   */
  private async abortIfEnded(leaseLostMessage?: string): Promise<boolean> {
    if (this.signal.aborted) return true;
    const task = await this.store.get(this.owner, this.taskId).catch(() => undefined);
    if (task === undefined || !isTerminalStatus(task.status)) return false;
    if (task.statusMessage === WORKER_LOST_MESSAGE) {
      this.abort('lease-lost', leaseLostMessage ?? task.error?.message ?? WORKER_LOST_MESSAGE);
    } else {
      this.abortEnded(task);
    }
    return true;
  }

  /** Aborts for a task that ended elsewhere: `cancelled`, or `ended` for any other terminal status. */
  private abortEnded(snapshot: TaskSnapshot): void {
    const reason = snapshot.status === 'cancelled' ? 'cancelled' : 'ended';
    this.abort(reason, `The task was ${snapshot.status} while it ran`);
  }

  private abort(reason: TaskRunAbortedError['reason'], message: string): void {
    if (this.controller.signal.aborted) return;
    this.controller.abort(new TaskRunAbortedError(this.taskId, reason, message));
    this.stop();
  }
}
