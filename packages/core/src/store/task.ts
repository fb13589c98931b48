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

/** A task with the store's extra state: its variables and the method of the request it runs. */
export interface TaskSnapshot extends Task {
  /** Free-form state the task's worker keeps between steps. */
  variables: JsonObject;
  /** The JSON-RPC method of the request the task augments, when given. */
  requestMethod?: string;
  /** ISO 8601 time after which the task is gone; absent when the TTL is unlimited. */
  expiresAt?: string;
  /** Whether a result is stored. */
  hasResult: boolean;
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
