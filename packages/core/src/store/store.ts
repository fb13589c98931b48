import type { StorageBackend } from '../backend/contract.js';
import type { Clock } from '../common/clock.js';
import {
  assertStringWithin,
  type JsonLimits,
  serializeWithin,
  snapshotJsonObject,
  snapshotJsonValue,
} from '../common/json-limits.js';
import { VersionedRecords } from '../records/versioned-records.js';
import { encodeCursor, decodeCursor } from './cursor.js';
import { idOfKey, ownerPrefix, recordKey } from './keys.js';
import {
  type GenericTaskStoreOptions,
  type ResolvedStoreOptions,
  resolveStoreOptions,
} from './store-options.js';
import { guarded, toTaskError } from '../records/storage-failures.js';
import {
  canTransition,
  isTaskStatus,
  isTerminalStatus,
  type JsonObject,
  type JsonValue,
  type TaskSnapshot,
  type TaskStatus,
} from './task.js';
import {
  InvalidParamsError,
  InvalidTransitionError,
  LimitExceededError,
  TaskConflictError,
  TaskNotFoundError,
  TaskNotReadyError,
  TaskResultUnavailableError,
} from './task-errors.js';
import { isTaskId, newTaskId } from './task-id.js';
import { listNewestFirst, taskIdOf } from './task-listing.js';
import {
  isRecordExpired,
  parseTaskRecord,
  snapshotOf,
  TASK_RECORD_SCHEMA,
  type TaskRecord,
} from './task-record.js';

/** What a new task may be created with. */
export interface CreateTaskParams {
  /** Requested lifetime from creation in ms; clamped to the maximum; `null` asks for unlimited. */
  ttl?: number | null;
  /** Suggested polling interval in ms. */
  pollInterval?: number;
  /** The JSON-RPC method of the request the task runs (for example `tools/call`). */
  requestMethod?: string;
  /** Initial variables. */
  variables?: JsonObject;
  /** Initial status message. */
  statusMessage?: string;
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

/** The statuses a result can be stored with. */
export type ResultStatus = 'completed' | 'failed';

/**
 * The task store: every domain rule (lifecycle, owners, TTL, variables, results, limits,
 * compare-and-swap retries, cursors) on top of any `StorageBackend`. Every operation takes the
 * owner; another owner's task is indistinguishable from a missing one.
 */
export class GenericTaskStore {
  private readonly options: ResolvedStoreOptions;
  private readonly records: VersionedRecords<TaskRecord>;

  constructor(options: GenericTaskStoreOptions) {
    this.options = resolveStoreOptions(options);
    const maxRecordBytes = this.options.limits.maxRecordBytes;
    this.records = new VersionedRecords<TaskRecord>(
      {
        parse: parseTaskRecord,
        serialize: (record) => serializeWithin(record, maxRecordBytes, 'Task record'),
      },
      {
        backend: this.options.backend,
        maxAttempts: this.options.maxAttempts,
        retryWait: this.options.retryWait,
        cacheSize: this.options.cacheSize,
        conflictError: (key, attempts) => new TaskConflictError(idOfKey(key), attempts),
        storageError: toTaskError,
      },
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

  /** Creates a task in status `working` and returns it with the TTL actually granted. */
  async create(owner: string, params: CreateTaskParams = {}): Promise<TaskSnapshot> {
    const prefix = ownerPrefix(owner);
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
    this.checkOptionalString(params.requestMethod, 'requestMethod');
    this.checkOptionalString(params.statusMessage, 'statusMessage');
    const taskId = newTaskId(now);
    const timestamp = new Date(now).toISOString();
    const record: TaskRecord = {
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
      variables,
    };
    serializeWithin(record, this.options.limits.maxRecordBytes, 'Task record');
    await this.checkActiveTaskLimit(owner, prefix);
    const key = recordKey(owner, taskId);
    return this.records.change(
      key,
      'create',
      (current) => {
        if (current !== undefined) throw new TaskConflictError(taskId, 1);
        return { next: record, value: snapshotOf(record) };
      },
      true,
    );
  }

  /** The task, or `TaskNotFoundError`. */
  async get(owner: string, taskId: string): Promise<TaskSnapshot> {
    return snapshotOf(await this.read(owner, taskId));
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
   * changes. One read and one conditional write, as the MCP SDK's `updateTaskStatus` expects.
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
    if (typeof statusMessage !== 'string')
      throw new InvalidParamsError('statusMessage must be a string');
    this.checkOptionalString(statusMessage, 'statusMessage');
    return this.change(owner, taskId, (record) => {
      if (isTerminalStatus(record.status))
        throw transitionError(record, record.status, 'update task');
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
    return this.change(owner, taskId, (record) => {
      const kept = Object.entries(record.variables).filter(([name]) => !Object.hasOwn(copy, name));
      const set = Object.entries(copy).filter(([, value]) => value !== null);
      return { ...record, variables: Object.fromEntries([...kept, ...set]) as JsonObject };
    });
  }

  /** Stores the result and the terminal status (`completed` or `failed`) in one write. */
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
    this.checkOptionalString(statusMessage, 'statusMessage');
    return this.change(owner, taskId, (record) => {
      if (isTerminalStatus(record.status)) throw transitionError(record, status, 'store result');
      return {
        ...record,
        status,
        result: copy,
        ...(statusMessage === undefined ? {} : { statusMessage }),
      };
    });
  }

  /** The stored result of a `completed` or `failed` task. */
  async getResult(owner: string, taskId: string): Promise<JsonValue> {
    const record = await this.read(owner, taskId);
    if (!isTerminalStatus(record.status)) throw new TaskNotReadyError(taskId, record.status);
    if (record.result === undefined) throw new TaskResultUnavailableError(taskId, record.status);
    return record.result;
  }

  /** Cancels a task that is not yet terminal. */
  async cancel(owner: string, taskId: string, statusMessage?: string): Promise<TaskSnapshot> {
    return this.updateStatus(owner, taskId, 'cancelled', statusMessage);
  }

  /** One page of the owner's live tasks, newest first. */
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
    const snapshots = new Map<string, TaskSnapshot>();
    const page = await guarded('list', prefix, () =>
      listNewestFirst(this.options.backend, prefix, beforeId, pageSize, ([key, stored]) => {
        const record = this.readListed(key, stored.data);
        if (!record || record.owner !== owner || isRecordExpired(record, now)) return false;
        snapshots.set(key, snapshotOf(record));
        return true;
      }),
    );
    const tasks = page.records.map(([key]) => snapshots.get(key) as TaskSnapshot);
    const last = page.records.at(-1);
    return page.hasMore && last ? { tasks, nextCursor: encodeCursor(taskIdOf(last)) } : { tasks };
  }

  /** Asks the backend to remove expired records; returns how many it removed. */
  async cleanupExpired(): Promise<number> {
    return guarded('cleanupExpired', undefined, () => this.options.backend.cleanupExpired());
  }

  /** Reads the owner's live task; `TaskNotFoundError` when it is missing, expired or another owner's. */
  private async read(owner: string, taskId: string): Promise<TaskRecord> {
    const key = this.keyOf(owner, taskId);
    const stored = await this.records.read(key, 'get');
    return this.live(stored?.record, owner, taskId);
  }

  /** The key of the owner's task; `TaskNotFoundError` for anything that is not a task id. */
  private keyOf(owner: string, taskId: string): string {
    const prefix = ownerPrefix(owner);
    if (!isTaskId(taskId)) {
      throw new TaskNotFoundError(typeof taskId === 'string' ? taskId : `(a ${typeof taskId})`);
    }
    return `${prefix}${taskId}`;
  }

  /** `record` when it is the owner's live task `taskId`, else `TaskNotFoundError`. */
  private live(record: TaskRecord | undefined, owner: string, taskId: string): TaskRecord {
    if (
      record === undefined ||
      record.owner !== owner ||
      record.taskId !== taskId ||
      isRecordExpired(record, this.options.clock.now())
    ) {
      throw new TaskNotFoundError(taskId);
    }
    return record;
  }

  /** Parses a record met in a listing; reports and skips (returns undefined) an unreadable one. */
  private readListed(key: string, data: string): TaskRecord | undefined {
    try {
      return parseTaskRecord(key, data);
    } catch (error) {
      this.options.onUnreadableRecord(key, error as Error);
      return undefined;
    }
  }

  /**
   * Applies `apply` to the owner's live task and writes the result (an `apply` that returns the
   * record it was given writes nothing), as one compare-and-swap with every change of that task
   * this store makes meanwhile; resolves with the task as written.
   */
  private change(
    owner: string,
    taskId: string,
    apply: (record: TaskRecord) => TaskRecord,
  ): Promise<TaskSnapshot> {
    const key = this.keyOf(owner, taskId);
    return this.records.change(key, 'update', (current) => {
      const record = this.live(current, owner, taskId);
      const applied = apply(record);
      if (applied === record) return { value: snapshotOf(record) };
      const next = { ...applied, lastUpdatedAt: new Date(this.options.clock.now()).toISOString() };
      return { next, value: snapshotOf(next) };
    });
  }

  private moveTo(
    owner: string,
    taskId: string,
    status: TaskStatus,
    statusMessage: string | undefined,
    sameStatusReports: boolean,
  ): Promise<TaskSnapshot> {
    if (!isTaskStatus(status))
      throw new InvalidParamsError(`Unknown task status '${String(status)}'`);
    this.checkOptionalString(statusMessage, 'statusMessage');
    return this.change(owner, taskId, (record) => {
      const reports = sameStatusReports && record.status === status;
      if (!reports && !canTransition(record.status, status)) {
        throw transitionError(
          record,
          status,
          status === 'cancelled' ? 'cancel task' : 'update task',
        );
      }
      if (reports && isTerminalStatus(status)) throw transitionError(record, status, 'update task');
      if (reports && statusMessage === undefined) return record;
      return { ...record, status, ...(statusMessage === undefined ? {} : { statusMessage }) };
    });
  }

  private grantedTtl(requested: number | null | undefined): number | null {
    if (requested === undefined) return this.options.defaultTtlMs;
    if (requested === null) return this.options.allowUnlimitedTtl ? null : this.options.maxTtlMs;
    requirePositiveInteger('ttl', requested);
    return Math.min(requested, this.options.maxTtlMs);
  }

  private async checkActiveTaskLimit(owner: string, prefix: string): Promise<void> {
    const max = this.options.limits.maxActiveTasksPerOwner;
    if (max === null) return;
    const now = this.options.clock.now();
    const stored = await guarded('create', prefix, () => this.options.backend.listByPrefix(prefix));
    const active = stored.filter(([key, { data }]) => {
      const record = this.readListed(key, data);
      return (
        record !== undefined &&
        record.owner === owner &&
        !isTerminalStatus(record.status) &&
        !isRecordExpired(record, now)
      );
    }).length;
    if (active >= max) {
      throw new LimitExceededError(
        'activeTasks',
        active,
        max,
        `Owner already has ${active} active tasks; the limit is ${max}`,
      );
    }
  }

  private checkOptionalString(value: unknown, what: string): void {
    if (value === undefined) return;
    if (typeof value !== 'string') throw new InvalidParamsError(`${what} must be a string`);
    assertStringWithin(value, this.options.limits.maxStringLength, what);
  }

  private get jsonLimits(): JsonLimits {
    return {
      maxDepth: this.options.limits.maxVariableDepth,
      maxStringLength: this.options.limits.maxStringLength,
      maxBytes: this.options.limits.maxRecordBytes,
    };
  }
}

/** What a refused change was trying to do, for the error message. */
type RefusedAction = 'cancel task' | 'store result' | 'update task';

function transitionError(
  record: TaskRecord,
  to: TaskStatus,
  action: RefusedAction,
): InvalidTransitionError {
  const message = isTerminalStatus(record.status)
    ? `Cannot ${action}: already in terminal status '${record.status}'`
    : `Cannot transition task from '${record.status}' to '${to}'`;
  return new InvalidTransitionError(record.taskId, record.status, to, message);
}

function requirePositiveInteger(what: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidParamsError(`${what} must be a positive integer`);
  }
}
