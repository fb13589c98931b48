import type { JsonObject, TaskSnapshot } from './task.js';

/** What a new task may be created with. */
export interface CreateTaskParams {
  /** Requested lifetime from creation in ms; clamped to the maximum; `null` asks for unlimited. */
  ttl?: number | null;
  /** Suggested polling interval in ms. */
  pollInterval?: number;
  /** The JSON-RPC method of the request the task runs (for example `tools/call`). */
  requestMethod?: string;
  /**
   * The params of the request the task runs (for `tools/call`: the tool's name and arguments), so
   * a worker on any instance can run it from the store alone.
   */
  request?: JsonObject;
  /** Initial variables. */
  variables?: JsonObject;
  /** Initial status message. */
  statusMessage?: string;
  /**
   * A worker lease to start with: the task reads as `failed` (worker lost) unless `holder` renews
   * it within `durationMs`. Without one the task never lapses (a client drives it, as in 2025-11-25).
   */
  lease?: LeaseParams;
}

/** A worker lease: who holds it and for how long each grant or renewal lasts. */
export interface LeaseParams {
  /** The worker, for example an instance id; any non-empty string. */
  holder: string;
  /** How long the lease lasts from now, in ms. */
  durationMs: number;
}

/** Options of one listing call. */
export interface ListTasksOptions {
  /** The `nextCursor` of the previous page. */
  cursor?: string;
  /** Tasks per page (default: the store's `pageSize`). */
  pageSize?: number;
}

/** One page of tasks, newest first. */
export interface TaskPage {
  /** The tasks of this page, newest first. */
  tasks: TaskSnapshot[];
  /** Present when more tasks follow. */
  nextCursor?: string;
}

/** What `respondToInput` did with each response. */
export interface InputResponseOutcome {
  /** The task after the responses. */
  task: TaskSnapshot;
  /** Keys whose responses were stored: they were outstanding. */
  accepted: string[];
  /** Keys ignored: never issued, already answered, or the task has ended. */
  ignored: string[];
}

/** The statuses a result can be stored with. */
export type ResultStatus = 'completed' | 'failed';
