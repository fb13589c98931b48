import { randomUUID } from 'node:crypto';
import {
  type AuthInfo,
  type CallToolResult,
  type McpServer,
  ProtocolError,
  ProtocolErrorCode,
  type ServerContext,
} from '@modelcontextprotocol/server';
import {
  type GenericTaskStore,
  type JsonObject,
  systemTimers,
  TaskWatcher,
  type Timers,
} from '@tasks/core';
import * as z from 'zod/v4';
import { runInline, runTaskJob, type TaskExecutor, type TaskJob } from './execution.js';
import { missingTasksCapability, requestDeclaresTasks, TASKS_EXTENSION } from './extension.js';
import { type OwnerResolver, ownerResolver, type TaskOwnerOptions } from './owners.js';
import { withProtocolErrors } from './protocol-errors.js';
import {
  type TaskSupport,
  type TaskTool,
  type TaskToolConfig,
  type TaskToolContext,
  type TaskToolHandler,
  validatedArguments,
} from './task-tools.js';
import { createTaskResult, detailedTask } from './wire.js';

/** Options of `McpTasksServer`. */
export interface McpTasksServerOptions extends TaskOwnerOptions {
  /** The store that keeps the tasks (its backend is shared by every instance). */
  store: GenericTaskStore;
  /** TTL asked for each task, in ms (default: the store's `defaultTtlMs`, clamped to its maximum). */
  ttlMs?: number;
  /** Poll interval suggested to clients, in ms (default: the store's `defaultPollIntervalMs`). */
  pollIntervalMs?: number;
  /** How long a worker's lease lasts, in ms (default 30,000): a dead worker's task fails after it. */
  leaseMs?: number;
  /** Time between lease renewals, in ms (default a third of `leaseMs`). */
  renewEveryMs?: number;
  /**
   * Time between reads of a watched task, in ms (default 1,000): the bound within which a handler
   * learns of a cancel or input from another instance, and listeners of a change.
   */
  watchIntervalMs?: number;
  /** This instance's name in worker leases (default: a random id). */
  instanceId?: string;
  /** Hands created tasks to their worker (default: run here, right after the response). */
  executor?: TaskExecutor;
  /** Told of failures no caller can see (a worker that could not record an outcome). */
  onError?: (error: unknown) => void;
  /** Where waits are scheduled (default: Node's timers; a `FakeClock` in tests). */
  timers?: Timers;
}

/** Params of `tasks/get`, `tasks/update` and `tasks/cancel` (`inputResponses` is lifted by the SDK). */
const TASK_ID_PARAMS = z.object({ taskId: z.string() });

/**
 * The server side of the MCP tasks extension (`io.modelcontextprotocol/tasks`, 2026-07-28) for
 * `@modelcontextprotocol/server` 2.x, durable on any `@tasks/core` backend and correct across
 * instances without sticky routing: every request reads and writes the store only.
 *
 * Register tools here (with their task support), then `install` onto each `McpServer` the
 * request handler builds; it advertises the extension, answers `tools/call` (creating tasks),
 * `tasks/get`, `tasks/update` and `tasks/cancel`. `listen` serves `subscriptions/listen` for task ids,
 * which the SDK cannot route to a server yet.
 */
export class McpTasksServer {
  private readonly store: GenericTaskStore;
  private readonly tools = new Map<string, TaskTool>();
  private readonly ownerOf: OwnerResolver;
  private readonly executor: TaskExecutor;
  private readonly onError: (error: unknown) => void;
  /** This instance's name in worker leases. */
  readonly instanceId: string;
  /** The watcher every handler and listener of this instance shares (one read per task per interval). */
  readonly watcher: TaskWatcher;
  private readonly settings: Required<
    Pick<McpTasksServerOptions, 'leaseMs' | 'renewEveryMs' | 'watchIntervalMs' | 'timers'>
  > &
    Pick<McpTasksServerOptions, 'ttlMs' | 'pollIntervalMs'>;

  constructor(options: McpTasksServerOptions) {
    if (!options || typeof options.store !== 'object' || options.store === null) {
      throw new TypeError('McpTasksServer needs a store (a GenericTaskStore)');
    }
    this.store = options.store;
    this.ownerOf = ownerResolver(options);
    this.instanceId = options.instanceId ?? `instance-${randomUUID()}`;
    this.onError = options.onError ?? ((error) => console.error('[tasks]', error));
    const leaseMs = options.leaseMs ?? 30_000;
    this.settings = {
      leaseMs,
      renewEveryMs: options.renewEveryMs ?? Math.floor(leaseMs / 3),
      watchIntervalMs: options.watchIntervalMs ?? 1_000,
      timers: options.timers ?? systemTimers,
      ...(options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs }),
      ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
    };
    this.watcher = new TaskWatcher(this.store, {
      intervalMs: this.settings.watchIntervalMs,
      timers: this.settings.timers,
    });
    this.executor =
      options.executor ??
      ((job) => {
        setImmediate(() => void this.execute(job));
      });
  }

  /**
   * Registers a tool: `required` always runs as a task (`-32021` for a client without the
   * extension), `optional` runs as a task when the request declares the extension and inline
   * otherwise, `forbidden` always runs inline. Returns this server, for chaining.
   */
  tool(
    name: string,
    config: TaskToolConfig,
    handler: TaskToolHandler,
    taskSupport: TaskSupport = 'optional',
  ): this {
    if (this.tools.has(name)) throw new TypeError(`Tool ${name} is already registered`);
    if (!['required', 'optional', 'forbidden'].includes(taskSupport)) {
      throw new TypeError(`taskSupport must be 'required', 'optional' or 'forbidden'`);
    }
    this.tools.set(name, { name, config, taskSupport, handler });
    return this;
  }

  /**
   * Sets `mcp` up for tasks: advertises the extension in `server/discover`, lists the registered
   * tools, answers `tools/call` and the `tasks/*` methods. Call it on each `McpServer` the handler
   * factory builds, after registering any other tools and before returning it.
   */
  install(mcp: McpServer): McpServer {
    for (const tool of this.tools.values()) {
      mcp.registerTool(tool.name, tool.config, () => this.unreachable());
    }
    const server = mcp.server;
    server.registerCapabilities({ tools: {}, extensions: { [TASKS_EXTENSION]: {} } });
    server.setRequestHandler('tools/call', (request, ctx) =>
      this.callTool(request.params.name, request.params.arguments, ctx),
    );
    server.setRequestHandler('tasks/get', { params: TASK_ID_PARAMS }, (params, ctx) =>
      this.getTask(params.taskId, ctx),
    );
    server.setRequestHandler('tasks/update', { params: TASK_ID_PARAMS }, (params, ctx) =>
      this.updateTask(params.taskId, ctx),
    );
    server.setRequestHandler('tasks/cancel', { params: TASK_ID_PARAMS }, (params, ctx) =>
      this.cancelTask(params.taskId, ctx),
    );
    return mcp;
  }

  /**
   * Runs a created task on this worker until it ends: what the default executor does in the
   * process that accepted the call, and what a worker process calls with a job it was handed.
   */
  execute(job: TaskJob): Promise<void> {
    return runTaskJob(
      this.store,
      this.tools,
      job,
      {
        holder: this.instanceId,
        leaseMs: this.settings.leaseMs,
        renewEveryMs: this.settings.renewEveryMs,
        pollIntervalMs: this.settings.watchIntervalMs,
        watcher: this.watcher,
        timers: this.settings.timers,
      },
      this.onError,
    );
  }

  /** The owner of a request's tasks, from its auth info. */
  ownerOfRequest(authInfo: AuthInfo | undefined): string {
    return this.ownerOf(authInfo);
  }

  /** The `DetailedTask` of the owner's task, as `tasks/get` answers it. */
  async detailedTask(owner: string, taskId: string): Promise<JsonObject> {
    return detailedTask(await this.store.get(owner, taskId));
  }

  private async callTool(name: string, args: unknown, ctx: ServerContext): Promise<CallToolResult> {
    const tool = this.tools.get(name);
    if (tool === undefined) {
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Tool ${name} not found`);
    }
    const declares = requestDeclaresTasks(ctx);
    if (tool.taskSupport === 'required' && !declares) throw missingTasksCapability();
    const owner = this.ownerOf(ctx.http?.authInfo);
    if (tool.taskSupport === 'forbidden' || !declares) {
      return runInline(tool, (args ?? {}) as JsonObject, this.inlineContext(owner, ctx));
    }
    const valid = await validatedArguments(tool, args);
    const task = await withProtocolErrors('create task', () =>
      this.store.create(owner, {
        requestMethod: 'tools/call',
        request: { name, arguments: valid },
        lease: { holder: this.instanceId, durationMs: this.settings.leaseMs },
        ...(this.settings.ttlMs === undefined ? {} : { ttl: this.settings.ttlMs }),
        ...(this.settings.pollIntervalMs === undefined
          ? {}
          : { pollInterval: this.settings.pollIntervalMs }),
      }),
    );
    await this.executor({ owner, taskId: task.taskId });
    return createTaskResult(task) as unknown as CallToolResult;
  }

  private async getTask(taskId: string, ctx: ServerContext): Promise<JsonObject> {
    if (!requestDeclaresTasks(ctx)) throw missingTasksCapability();
    const owner = this.ownerOf(ctx.http?.authInfo);
    return withProtocolErrors('retrieve task', () => this.detailedTask(owner, taskId));
  }

  private async updateTask(taskId: string, ctx: ServerContext): Promise<JsonObject> {
    if (!requestDeclaresTasks(ctx)) throw missingTasksCapability();
    const owner = this.ownerOf(ctx.http?.authInfo);
    const responses = (ctx.mcpReq.inputResponses ?? {}) as JsonObject;
    await withProtocolErrors('update task', () =>
      this.store.respondToInput(owner, taskId, responses),
    );
    return {};
  }

  private async cancelTask(taskId: string, ctx: ServerContext): Promise<JsonObject> {
    if (!requestDeclaresTasks(ctx)) throw missingTasksCapability();
    const owner = this.ownerOf(ctx.http?.authInfo);
    await withProtocolErrors('cancel task', async () => {
      const task = await this.store.get(owner, taskId);
      if (task.status === 'working' || task.status === 'input_required') {
        await this.store
          .cancel(owner, taskId, 'Cancelled by the client')
          .catch((error: unknown) => {
            if ((error as Error).name !== 'InvalidTransitionError') throw error;
          });
      }
    });
    return {};
  }

  /** The context of a tool run inline: no task, so no input requests and nothing to cancel. */
  private inlineContext(owner: string, ctx: ServerContext): TaskToolContext {
    const variables: JsonObject = {};
    return {
      owner,
      signal: ctx.mcpReq.signal,
      variables,
      setVariables: async (patch) => void Object.assign(variables, patch),
      reportStatus: async () => undefined,
      requestInput: async () => {
        throw missingTasksCapability();
      },
    };
  }

  private unreachable(): CallToolResult {
    throw new ProtocolError(
      ProtocolErrorCode.InternalError,
      'tools/call for task tools is answered by McpTasksServer',
    );
  }
}
