import type { CreateTaskOptions, TaskStore } from '@modelcontextprotocol/sdk/experimental/tasks';
import {
  ErrorCode,
  McpError,
  type Request,
  type RequestId,
  type Result,
  type Task,
} from '@modelcontextprotocol/sdk/types.js';
import { isPlainObject } from '@tasks/core';
import type { CreateTaskParams, GenericTaskStore } from '@tasks/core';
import { TaskNotFoundError } from '@tasks/core';
import { taskOf } from '@tasks/core';
import { withMcpErrors } from './errors.js';
import { wireJsonObject } from './json.js';
import { type McpOwnerOptions, type OwnerResolver, ownerResolver } from './owner.js';

/** Options of `McpTaskStore`. */
export interface McpTaskStoreOptions extends McpOwnerOptions {
  /** The store that keeps the tasks: its backend, TTL limits, page size and input limits apply. */
  store: GenericTaskStore;
}

/**
 * The MCP SDK's `TaskStore` on top of `GenericTaskStore`, for `new McpServer(info, { taskStore })`.
 *
 * Every call is bound to the owner of the session that makes it (see `McpOwnerOptions`): a task is
 * not found from, and never listed in, another owner's session. TTLs run from creation, are
 * clamped to the store's maximum and come back as granted; expiry needs no timers. Store errors
 * reach the client as `McpError`s with the spec's codes (-32602 for unknown or foreign task ids,
 * illegal transitions such as cancelling a terminal task, and bad cursors).
 */
export class McpTaskStore implements TaskStore {
  /** The task store underneath, for tools that keep variables in their tasks. */
  readonly store: GenericTaskStore;
  private readonly resolveOwner: OwnerResolver;

  constructor(options: McpTaskStoreOptions) {
    if (!options || typeof options.store !== 'object' || options.store === null) {
      throw new TypeError('McpTaskStore needs a store (a GenericTaskStore)');
    }
    this.store = options.store;
    this.resolveOwner = ownerResolver(options);
  }

  /** The owner of the tasks of requests made in `sessionId` (or without a session). */
  ownerOf(sessionId?: string): string {
    return this.resolveOwner(sessionId);
  }

  /**
   * Creates a `working` task for `request`. `taskParams.ttl` is clamped to the store's maximum
   * (`null` asks for unlimited), `taskParams.context` becomes the task's initial variables.
   */
  async createTask(
    taskParams: CreateTaskOptions,
    _requestId: RequestId,
    request: Request,
    sessionId?: string,
  ): Promise<Task> {
    return withMcpErrors(async () => {
      const owner = this.ownerOf(sessionId);
      const { ttl, pollInterval, context } = taskParams ?? {};
      const params: CreateTaskParams = {
        ...(ttl === undefined ? {} : { ttl }),
        ...(pollInterval === undefined ? {} : { pollInterval }),
        ...(typeof request?.method === 'string' ? { requestMethod: request.method } : {}),
        ...(context === undefined ? {} : { variables: wireJsonObject(context, 'context') }),
      };
      return taskOf(await this.store.create(owner, params));
    });
  }

  /** The task, or `null` when the session's owner has no such live task. */
  async getTask(taskId: string, sessionId?: string): Promise<Task | null> {
    return withMcpErrors(async () => {
      try {
        return taskOf(await this.store.get(this.ownerOf(sessionId), taskId));
      } catch (error) {
        if (error instanceof TaskNotFoundError) return null;
        throw error;
      }
    });
  }

  /** Stores the result and the terminal status in one write; fails when the task is already terminal. */
  async storeTaskResult(
    taskId: string,
    status: 'completed' | 'failed',
    result: Result,
    sessionId?: string,
  ): Promise<void> {
    await withMcpErrors(() =>
      this.store.storeResult(
        this.ownerOf(sessionId),
        taskId,
        status,
        wireJsonObject(result, 'result'),
      ),
    );
  }

  /** The result stored for a `completed` or `failed` task. */
  async getTaskResult(taskId: string, sessionId?: string): Promise<Result> {
    const result = await withMcpErrors(() => this.store.getResult(this.ownerOf(sessionId), taskId));
    if (!isPlainObject(result)) {
      throw new McpError(
        ErrorCode.InternalError,
        `The stored result of task ${taskId} is not a JSON object`,
      );
    }
    return result as Result;
  }

  /**
   * Moves the task to `status`. Asking for the status it already has (a `working` task reporting
   * progress) replaces its status message, or changes nothing when none is given.
   */
  async updateTaskStatus(
    taskId: string,
    status: Task['status'],
    statusMessage?: string,
    sessionId?: string,
  ): Promise<void> {
    await withMcpErrors(() =>
      this.store.reportStatus(this.ownerOf(sessionId), taskId, status, statusMessage),
    );
  }

  /** One page of the session owner's live tasks, newest first. */
  async listTasks(
    cursor?: string,
    sessionId?: string,
  ): Promise<{
    /** The page's tasks, in the SDK's shape. */
    tasks: Task[];
    /** The cursor of the next page; absent on the last. */
    nextCursor?: string;
  }> {
    return withMcpErrors(async () => {
      const page = await this.store.list(
        this.ownerOf(sessionId),
        cursor === undefined ? {} : { cursor },
      );
      const tasks = page.tasks.map(taskOf);
      return page.nextCursor === undefined ? { tasks } : { tasks, nextCursor: page.nextCursor };
    });
  }
}
