import { systemTimers, type Timers } from '../common/timers.js';
import type { GenericTaskStore } from '../store/store.js';
import { isTerminalStatus, type TaskSnapshot } from '../store/task.js';
import { TaskError } from '../store/task-errors.js';

/** Options of `TaskWatcher`. */
export interface TaskWatcherOptions {
  /** Time between two reads of a watched task, in ms (default 1,000). */
  intervalMs?: number;
  /** Where waits are scheduled (default: Node's timers; a `FakeClock` in tests). */
  timers?: Timers;
}

/** Options of one `watch`. */
export interface WatchOptions {
  /** Ends the watch (the iteration returns) when aborted. */
  signal?: AbortSignal;
}

/** One consumer of a task's changes. */
interface Subscriber {
  push(snapshot: TaskSnapshot): void;
  fail(error: unknown): void;
  end(): void;
}

/** The shared poll of one task: its subscribers and what they saw last. */
interface Poll {
  subscribers: Set<Subscriber>;
  timer: unknown;
  fingerprint?: string;
  last?: TaskSnapshot;
}

/**
 * Watches tasks by polling the store: every watcher of a task in this process shares one read per
 * interval, however many there are, so it works on every backend. A watch yields the task as it
 * is, then each visible change (status, message, input requests and responses, result, error),
 * and ends after yielding the terminal state; a task that disappears (expired, deleted) ends it
 * with `TaskNotFoundError`. Storage failures do not end it: the next interval reads again.
 */
export class TaskWatcher {
  private readonly intervalMs: number;
  private readonly timers: Timers;
  private readonly polls = new Map<string, Poll>();

  constructor(
    private readonly store: GenericTaskStore,
    options: TaskWatcherOptions = {},
  ) {
    const intervalMs = options.intervalMs ?? 1_000;
    if (!Number.isSafeInteger(intervalMs) || intervalMs < 1) {
      throw new RangeError(`intervalMs must be a positive integer, got ${String(intervalMs)}`);
    }
    this.intervalMs = intervalMs;
    this.timers = options.timers ?? systemTimers;
  }

  /** The changes of the owner's task, from its current state until it is terminal. */
  watch(
    owner: string,
    taskId: string,
    options: WatchOptions = {},
  ): AsyncIterableIterator<TaskSnapshot> {
    const channel = new Channel<TaskSnapshot>();
    const key = `${owner}\u0000${taskId}`;
    const subscriber: Subscriber = {
      push: (snapshot) => channel.push(snapshot),
      fail: (error) => channel.fail(error),
      end: () => channel.end(),
    };
    const stop = (): void => {
      this.unsubscribe(key, subscriber);
      channel.end();
    };
    if (options.signal?.aborted) {
      channel.end();
      return channel.iterator(stop);
    }
    options.signal?.addEventListener('abort', stop, { once: true });
    this.subscribe(key, owner, taskId, subscriber);
    return channel.iterator(() => {
      options.signal?.removeEventListener('abort', stop);
      stop();
    });
  }

  /** How many tasks are being polled now. */
  get watchedTasks(): number {
    return this.polls.size;
  }

  private subscribe(key: string, owner: string, taskId: string, subscriber: Subscriber): void {
    const existing = this.polls.get(key);
    if (existing !== undefined) {
      existing.subscribers.add(subscriber);
      if (existing.last !== undefined) subscriber.push(existing.last);
      return;
    }
    const poll: Poll = { subscribers: new Set([subscriber]), timer: undefined };
    this.polls.set(key, poll);
    void this.read(key, owner, taskId, poll);
  }

  private unsubscribe(key: string, subscriber: Subscriber): void {
    const poll = this.polls.get(key);
    if (poll === undefined) return;
    poll.subscribers.delete(subscriber);
    if (poll.subscribers.size > 0) return;
    this.timers.clearTimeout(poll.timer);
    this.polls.delete(key);
  }

  private async read(key: string, owner: string, taskId: string, poll: Poll): Promise<void> {
    let snapshot: TaskSnapshot;
    try {
      snapshot = await this.store.get(owner, taskId);
    } catch (error) {
      if (error instanceof TaskError && error.name === 'TaskNotFoundError') {
        this.finish(key, poll, (subscriber) => subscriber.fail(error));
        return;
      }
      this.schedule(key, owner, taskId, poll);
      return;
    }
    if (this.polls.get(key) !== poll) return;
    const fingerprint = fingerprintOf(snapshot);
    if (fingerprint !== poll.fingerprint) {
      poll.fingerprint = fingerprint;
      poll.last = snapshot;
      for (const subscriber of poll.subscribers) subscriber.push(snapshot);
    }
    if (isTerminalStatus(snapshot.status)) {
      this.finish(key, poll, (subscriber) => subscriber.end());
      return;
    }
    this.schedule(key, owner, taskId, poll);
  }

  private schedule(key: string, owner: string, taskId: string, poll: Poll): void {
    if (this.polls.get(key) !== poll) return;
    poll.timer = this.timers.setTimeout(
      () => void this.read(key, owner, taskId, poll),
      this.intervalMs,
    );
  }

  private finish(key: string, poll: Poll, close: (subscriber: Subscriber) => void): void {
    if (this.polls.get(key) === poll) this.polls.delete(key);
    for (const subscriber of poll.subscribers) close(subscriber);
    poll.subscribers.clear();
  }
}

/**
 * What a watcher compares to tell a change: status, message, input requests and responses, result
 * and error (not variables, the lease, or `lastUpdatedAt` alone).
 */
function fingerprintOf(snapshot: TaskSnapshot): string {
  const {
    variables: _variables,
    lease: _lease,
    lastUpdatedAt: _lastUpdatedAt,
    ...watched
  } = snapshot;
  return JSON.stringify(watched);
}

/** A queue of values one async iterator consumes, with an end and a failure. */
class Channel<T> {
  private readonly values: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private rejectWaiting: ((error: unknown) => void) | undefined;
  private failure: { error: unknown } | undefined;
  private ended = false;

  push(value: T): void {
    if (this.ended) return;
    if (this.waiting !== undefined) {
      const resolve = this.waiting;
      this.clearWaiting();
      resolve({ value, done: false });
      return;
    }
    this.values.push(value);
  }

  fail(error: unknown): void {
    if (this.ended) return;
    this.failure = { error };
    this.ended = true;
    if (this.rejectWaiting !== undefined && this.values.length === 0) {
      const reject = this.rejectWaiting;
      this.clearWaiting();
      reject(error);
    }
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.waiting !== undefined && this.values.length === 0) {
      const resolve = this.waiting;
      this.clearWaiting();
      resolve({ value: undefined, done: true });
    }
  }

  iterator(onReturn: () => void): AsyncIterableIterator<T> {
    const next = (): Promise<IteratorResult<T>> => {
      const value = this.values.shift();
      if (value !== undefined) return Promise.resolve({ value, done: false });
      if (this.failure !== undefined) {
        const { error } = this.failure;
        this.failure = undefined;
        return Promise.reject(error);
      }
      if (this.ended) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => {
        this.waiting = resolve;
        this.rejectWaiting = reject;
      });
    };
    const iterator: AsyncIterableIterator<T> = {
      next,
      return: () => {
        onReturn();
        this.values.length = 0;
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  private clearWaiting(): void {
    this.waiting = undefined;
    this.rejectWaiting = undefined;
  }
}
