/** A JSON value: what variables and results may hold. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** The five statuses of an MCP task (2025-11-25). */
export const TASK_STATUSES = [
  'working',
  'input_required',
  'completed',
  'failed',
  'cancelled',
] as const;

/** A task status. */
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** The statuses a task never leaves. */
export const TERMINAL_STATUSES: readonly TaskStatus[] = ['completed', 'failed', 'cancelled'];

/** A task as MCP 2025-11-25 defines it. */
export interface Task {
  /** Unique id, time-ordered, at least 128 random bits. */
  taskId: string;
  /** Current status. */
  status: TaskStatus;
  /** Human-readable detail of the current status. */
  statusMessage?: string;
  /** ISO 8601 creation time. */
  createdAt: string;
  /** ISO 8601 time of the last change. */
  lastUpdatedAt: string;
  /** Lifetime from creation in milliseconds; `null` for unlimited. */
  ttl: number | null;
  /** Suggested polling interval in milliseconds. */
  pollInterval?: number;
}

/** The JSON-RPC error a `failed` task ended with (MCP 2026-07-28 inlines it in the task). */
export interface TaskFailure {
  /** JSON-RPC error code, an integer. */
  code: number;
  /** Human-readable description. */
  message: string;
  /** Further detail, any JSON. */
  data?: JsonValue;
}

/** One request a task makes of the client while it runs (for example `elicitation/create`). */
export interface InputRequest {
  /** The JSON-RPC method of the request. */
  method: string;
  /** Its params. */
  params?: JsonObject;
}

/** Input requests by key; a key is unique over the task's whole life. */
export type InputRequests = Record<string, InputRequest>;

/** Responses to input requests, by the key of the request each answers. */
export type InputResponses = Record<string, JsonValue>;

/**
 * Who runs a task and until when: the worker renews it while it runs, and a task whose lease lapsed
 * reads as `failed` (worker lost) everywhere.
 */
export interface TaskLease {
  /** The worker holding the lease. */
  holder: string;
  /** ISO 8601 time at which the lease lapses unless renewed. */
  expiresAt: string;
}

/** A task with the store's extra state: variables, payloads, input and lease. */
export interface TaskSnapshot extends Task {
  /** Free-form state the task's worker keeps between steps. */
  variables: JsonObject;
  /** The JSON-RPC method of the request the task augments, when given. */
  requestMethod?: string;
  /** The params of the request the task augments, when given. */
  request?: JsonObject;
  /** ISO 8601 time after which the task is gone; absent when the TTL is unlimited. */
  expiresAt?: string;
  /** Whether a result is stored. */
  hasResult: boolean;
  /** The stored result (a `completed` task, or a `failed` one stored the 2025-11-25 way). */
  result?: JsonValue;
  /** The JSON-RPC error of a `failed` task (2026-07-28), or the worker-lost error of a lapsed lease. */
  error?: TaskFailure;
  /** Requests waiting for the client's responses (an `input_required` task). */
  inputRequests?: InputRequests;
  /** Responses the client sent that the worker has not taken yet. */
  inputResponses?: InputResponses;
  /** The worker's lease, while a worker holds one. */
  lease?: TaskLease;
}

/** Whether `status` is terminal (completed, failed or cancelled). */
export function isTerminalStatus(status: TaskStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** Whether `value` is one of the five task statuses. */
export function isTaskStatus(value: unknown): value is TaskStatus {
  return typeof value === 'string' && (TASK_STATUSES as readonly string[]).includes(value);
}

/**
 * Whether the spec allows moving from `from` to `to`: `working` to any other status,
 * `input_required` to `working` or a terminal status; never out of a terminal status; never to itself.
 */
export function canTransition(from: TaskStatus, to: TaskStatus): boolean {
  if (from === to || isTerminalStatus(from)) return false;
  return true;
}
