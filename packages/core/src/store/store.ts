import type { StorageBackend } from '../backend/contract.js';
import type { Clock } from '../common/clock.js';
import {
  type JsonLimits,
  serializeWithin,
  snapshotJsonObject,
  snapshotJsonValue,
} from '../common/json-limits.js';
import { guarded } from '../records/storage-failures.js';
import { ActiveTaskIndex } from './active-index.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { withInputRequested, withInputResponses, withInputTaken } from './input.js';
import { ownerPrefix } from './keys.js';
import { withLease } from './lease.js';
import {
  type GenericTaskStoreOptions,
  type ResolvedStoreOptions,
  resolveStoreOptions,
} from './store-options.js';
import type {
  CreateTaskParams,
  InputResponseOutcome,
  LeaseParams,
  ListTasksOptions,
  ResultStatus,
  TaskPage,
} from './store-types.js';
import {
  type InputRequests,
  type InputResponses,
  isTaskStatus,
  isTerminalStatus,
  type JsonObject,
  type JsonValue,
  type TaskFailure,
  type TaskSnapshot,
  type TaskStatus,
} from './task.js';
import {
  InvalidParamsError,
  LimitExceededError,
  TaskNotReadyError,
  TaskResultUnavailableError,
} from './task-errors.js';
import { newTaskId } from './task-id.js';
import { listLiveNewestFirst } from './task-listing.js';
import { TASK_RECORD_SCHEMA, type TaskRecord } from './task-record.js';
import { TaskRecords } from './task-records.js';
import { type RefusedAction, transitionError, withEnd, withStatus } from './transitions.js';
import {
  checkOptionalString,
  failureOf,
  inputRequestsOf,
  inputResponsesOf,
  requirePositiveInteger,
  requireString,
} from './validation.js';

export type {
  CreateTaskParams,
  InputResponseOutcome,
  LeaseParams,
  ListTasksOptions,
  ResultStatus,
  TaskPage,
} from './store-types.js';

/**
 * The task store: every domain rule (lifecycle, owners, TTL, variables, results and errors, input
 * requests and responses, cancel, worker leases, limits, compare-and-swap retries, cursors) on top
 * of any `StorageBackend`. Every operation takes the owner; another owner's task is
 * indistinguishable from a missing one.
 */
export class GenericTaskStore {
  private readonly options: ResolvedStoreOptions;
  private readonly records: TaskRecords;
  private readonly activeIndex: ActiveTaskIndex;

  constructor(options: GenericTaskStoreOptions) {
    this.options = resolveStoreOptions(options);
    this.records = new TaskRecords(this.options);
    this.activeIndex = new ActiveTaskIndex(this.options, (owner, taskId) =>
      this.records.activityOf(owner, taskId),
    );
  }

  /** The backend the tasks live on. */
  get backend(): StorageBackend {
    return this.options.backend;
  }

  /** The store's time source. */
  get clock(): Clock {
    return this.options.clock;
  }

  /** The settings every store operation uses, defaults filled in. */
  get settings(): ResolvedStoreOptions {
    return this.options;
  }

  /**
   * Creates a task in status `working` and returns it with the TTL actually granted. With the
   * active-task limit on, the task's slot is reserved in the owner's index first (one more write),
   * so the limit holds exactly under any concurrency.
   */
  async create(owner: string, params: CreateTaskParams = {}): Promise<TaskSnapshot> {
    ownerPrefix(owner);
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      throw new InvalidParamsError('Task parameters must be an object');
    }
    const now = this.options.clock.now();
    const ttl = this.grantedTtl(params.ttl);
    const pollInterval = params.pollInterval ?? this.options.defaultPollIntervalMs;
    requirePositiveInteger('pollInterval', pollInterval);
    const variables =
      params.variables === undefined
        ? {}
        : snapshotJsonObject(params.variables, this.jsonLimits, 'variables');
    const request =
      params.request === undefined
        ? undefined
        : snapshotJsonObject(params.request, this.jsonLimits, 'request');
    this.checkString(params.requestMethod, 'requestMethod');
    this.checkString(params.statusMessage, 'statusMessage');
    const taskId = newTaskId(now);
    const timestamp = new Date(now).toISOString();
    const draft: TaskRecord = {
      schema: TASK_RECORD_SCHEMA,
      owner,
      taskId,
      status: 'working',
      ...(params.statusMessage === undefined ? {} : { statusMessage: params.statusMessage }),
      createdAt: timestamp,
      lastUpdatedAt: timestamp,
      ttl,
      pollInterval,
      ...(ttl === null ? {} : { expiresAt: new Date(now + ttl).toISOString() }),
      ...(params.requestMethod === undefined ? {} : { requestMethod: params.requestMethod }),
      ...(request === undefined ? {} : { request }),
      variables,
    };
    const record = params.lease === undefined ? draft : this.leased(draft, params.lease, now);
    serializeWithin(record, this.options.limits.maxRecordBytes, 'Task record');
    const max = this.options.limits.maxActiveTasksPerOwner;
    if (max !== null) {
      await this.activeIndex.reserve(owner, taskId, ttl === null ? null : now + ttl, max);
    }
    return this.records.create(record);
  }

  /**
   * The task, or `TaskNotFoundError`. A task whose worker's lease lapsed reads as `failed` and is
   * written so once, by whichever instance reads it first.
   */
  get(owner: string, taskId: string): Promise<TaskSnapshot> {
    return this.records.get(owner, taskId);
  }

  /** Moves the task to `status` as the spec allows; the status message is kept unless replaced. */
  async updateStatus(
    owner: string,
    taskId: string,
    status: TaskStatus,
    statusMessage?: string,
  ): Promise<TaskSnapshot> {
    return this.moveTo(owner, taskId, status, statusMessage, false);
  }

  /**
   * Like `updateStatus`, except that asking a task that is not terminal for the status it already
   * has is a progress report: the status message is replaced (when given) and nothing else
   * changes; what the MCP SDK's `updateTaskStatus` expects.
   */
  async reportStatus(
    owner: string,
    taskId: string,
    status: TaskStatus,
    statusMessage?: string,
  ): Promise<TaskSnapshot> {
    return this.moveTo(owner, taskId, status, statusMessage, true);
  }

  /** Replaces the status message of a task that is not terminal, keeping its status (progress reports). */
  async setStatusMessage(
    owner: string,
    taskId: string,
    statusMessage: string,
  ): Promise<TaskSnapshot> {
    requireString(statusMessage, 'statusMessage', this.options.limits.maxStringLength);
    return this.records.change(owner, taskId, (record) => {
      if (isTerminalStatus(record.status)) {
        throw transitionError(record, record.status, 'update task');
      }
      return { ...record, statusMessage };
    });
  }

  /** Merges `patch` into the task's variables; a `null` value deletes its key. */
  async setVariables(
    owner: string,
    taskId: string,
    patch: Record<string, JsonValue>,
  ): Promise<TaskSnapshot> {
    const copy = snapshotJsonObject(patch, this.jsonLimits, 'variables');
    return this.records.change(owner, taskId, (record) => {
      const kept = Object.entries(record.variables).filter(([name]) => !Object.hasOwn(copy, name));
      const set = Object.entries(copy).filter(([, value]) => value !== null);
      return { ...record, variables: Object.fromEntries([...kept, ...set]) as JsonObject };
    });
  }

  /**
   * Stores the result and the terminal status (`completed` or `failed`) in one write: the
   * 2025-11-25 way, where a failed task's result is a tool result. For 2026-07-28, where `failed`
   * means a JSON-RPC error, use `fail`.
   */
  async storeResult(
    owner: string,
    taskId: string,
    status: ResultStatus,
    result: JsonValue,
    statusMessage?: string,
  ): Promise<TaskSnapshot> {
    if (status !== 'completed' && status !== 'failed') {
      throw new InvalidParamsError(
        `A result is stored with status 'completed' or 'failed', not '${String(status)}'`,
      );
    }
    const copy = snapshotJsonValue(result, this.jsonLimits, 'result');
    this.checkString(statusMessage, 'statusMessage');
    return this.end(owner, taskId, status, 'store result', statusMessage, { result: copy });
  }

  /**
   * Ends the task as `failed` with the JSON-RPC error `{ code, message, data? }` it failed with, in
   * one write (MCP 2026-07-28). A tool result with `isError: true` is not a failure: store it with
   * `storeResult(..., 'completed', ...)`.
   */
  async fail(
    owner: string,
    taskId: string,
    error: TaskFailure,
    statusMessage?: string,
  ): Promise<TaskSnapshot> {
    const failure = failureOf(error, this.jsonLimits);
    this.checkString(statusMessage, 'statusMessage');
    return this.end(owner, taskId, 'failed', 'fail task', statusMessage, { error: failure });
  }

  /** The stored result of a `completed` or `failed` task. */
  async getResult(owner: string, taskId: string): Promise<JsonValue> {
    const record = await this.get(owner, taskId);
    if (!isTerminalStatus(record.status)) throw new TaskNotReadyError(taskId, record.status);
    if (record.result === undefined) throw new TaskResultUnavailableError(taskId, record.status);
    return record.result;
  }

  /**
   * Cancels a task that is not yet terminal: it reads `cancelled` at once, on every instance and in
   * both protocol generations; its worker learns of it by watching the task, and its later writes
   * fail with `InvalidTransitionError`.
   */
  async cancel(owner: string, taskId: string, statusMessage?: string): Promise<TaskSnapshot> {
    this.checkString(statusMessage, 'statusMessage');
    return this.end(owner, taskId, 'cancelled', 'cancel task', statusMessage, {});
  }

  /**
   * Asks the client for input: `requests` (by key, each `{ method, params }`) become outstanding
   * and the task moves to `input_required`. A key used before by this task is `InputKeyReusedError`.
   */
  async requestInput(
    owner: string,
    taskId: string,
    requests: InputRequests,
    statusMessage?: string,
  ): Promise<TaskSnapshot> {
    const copy = inputRequestsOf(requests, this.jsonLimits);
    this.checkString(statusMessage, 'statusMessage');
    return this.records.change(owner, taskId, (record) =>
      withInputRequested(record, copy, statusMessage),
    );
  }

  /**
   * Stores the client's responses for the keys that are outstanding and ignores the others (never
   * issued, already answered, superseded), as the spec says; partial answers are kept and the task
   * stays `input_required` until every outstanding key is answered, then reads `working`.
   */
  async respondToInput(
    owner: string,
    taskId: string,
    responses: InputResponses,
  ): Promise<InputResponseOutcome> {
    const copy = inputResponsesOf(responses, this.jsonLimits);
    const { task, value } = await this.records.changeWith(owner, taskId, (record) => {
      const { record: next, accepted, ignored } = withInputResponses(record, copy);
      return { record: next, value: { accepted, ignored } };
    });
    return { task, ...value };
  }

  /**
   * Takes the stored responses for `keys` (every stored one when absent) out of the task, exactly
   * once: concurrent takers never get the same response twice.
   */
  async takeInputResponses(
    owner: string,
    taskId: string,
    keys?: readonly string[],
  ): Promise<InputResponses> {
    if (keys !== undefined && (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string'))) {
      throw new InvalidParamsError('keys must be an array of strings');
    }
    const { value } = await this.records.changeWith(owner, taskId, (record) => {
      const { record: next, taken } = withInputTaken(record, keys);
      return { record: next, value: taken };
    });
    return value;
  }

  /**
   * Hands the task to worker `holder` until `durationMs` from now (a task that is not terminal;
   * the lease of another worker is taken over). `LeaseLostError` when the task has ended.
   */
  async claimLease(owner: string, taskId: string, lease: LeaseParams): Promise<TaskSnapshot> {
    const now = this.options.clock.now();
    return this.records.change(
      owner,
      taskId,
      (record) => this.leased(record, lease, now, false),
      false,
    );
  }

  /**
   * Extends the lease of worker `holder` to `durationMs` from now: one write, not a visible change
   * (`lastUpdatedAt` stays). `LeaseLostError` when it lapsed, another worker holds it, or the task ended.
   */
  async renewLease(owner: string, taskId: string, lease: LeaseParams): Promise<TaskSnapshot> {
    const now = this.options.clock.now();
    return this.records.change(
      owner,
      taskId,
      (record) => this.leased(record, lease, now, true),
      false,
    );
  }

  /** One page of the owner's live tasks, newest first; expired records met on the way are deleted. */
  async list(owner: string, options: ListTasksOptions = {}): Promise<TaskPage> {
    const prefix = ownerPrefix(owner);
    const pageSize = options.pageSize ?? this.options.pageSize;
    requirePositiveInteger('pageSize', pageSize);
    if (pageSize > this.options.limits.maxPageSize) {
      throw new LimitExceededError(
        'pageSize',
        pageSize,
        this.options.limits.maxPageSize,
        `Page size ${pageSize} exceeds the limit of ${this.options.limits.maxPageSize}`,
      );
    }
    const beforeId = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
    const now = this.options.clock.now();
    const page = await guarded('list', prefix, () =>
      listLiveNewestFirst(this.options.backend, prefix, beforeId, pageSize, (key, data) =>
        this.records.listed(owner, key, data, now),
      ),
    );
    const last = page.tasks.at(-1);
    return page.hasMore && last
      ? { tasks: page.tasks, nextCursor: encodeCursor(last.taskId) }
      : { tasks: page.tasks };
  }

  /** Asks the backend to remove expired records; returns how many it removed. */
  async cleanupExpired(): Promise<number> {
    return guarded('cleanupExpired', undefined, () => this.options.backend.cleanupExpired());
  }

  /** Ends the task in a terminal `status` with `payload` (a result or an error), in one write. */
  private end(
    owner: string,
    taskId: string,
    status: TaskStatus,
    action: RefusedAction,
    statusMessage: string | undefined,
    payload: Pick<TaskRecord, 'result' | 'error'>,
  ): Promise<TaskSnapshot> {
    return this.records.change(owner, taskId, (record) =>
      withEnd(record, status, action, statusMessage, payload),
    );
  }

  private moveTo(
    owner: string,
    taskId: string,
    status: TaskStatus,
    statusMessage: string | undefined,
    sameStatusReports: boolean,
  ): Promise<TaskSnapshot> {
    if (!isTaskStatus(status)) {
      throw new InvalidParamsError(`Unknown task status '${String(status)}'`);
    }
    this.checkString(statusMessage, 'statusMessage');
    return this.records.change(owner, taskId, (record) =>
      withStatus(record, status, statusMessage, sameStatusReports),
    );
  }

  /** `record` with the lease of `lease.holder`, validated; `renewal` requires the same holder. */
  private leased(record: TaskRecord, lease: LeaseParams, now: number, renewal = false): TaskRecord {
    if (typeof lease !== 'object' || lease === null) {
      throw new InvalidParamsError('lease must be an object { holder, durationMs }');
    }
    requireString(lease.holder, 'lease.holder', this.options.limits.maxStringLength);
    if (lease.holder === '') throw new InvalidParamsError('lease.holder must not be empty');
    requirePositiveInteger('lease.durationMs', lease.durationMs);
    return withLease(record, lease.holder, now, lease.durationMs, renewal);
  }

  private grantedTtl(requested: number | null | undefined): number | null {
    if (requested === undefined) return this.options.defaultTtlMs;
    if (requested === null) return this.options.allowUnlimitedTtl ? null : this.options.maxTtlMs;
    requirePositiveInteger('ttl', requested);
    return Math.min(requested, this.options.maxTtlMs);
  }

  private checkString(value: unknown, what: string): void {
    checkOptionalString(value, what, this.options.limits.maxStringLength);
  }

  private get jsonLimits(): JsonLimits {
    return {
      maxDepth: this.options.limits.maxVariableDepth,
      maxStringLength: this.options.limits.maxStringLength,
      maxBytes: this.options.limits.maxRecordBytes,
    };
  }
}
