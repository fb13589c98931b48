/**
 * The server side of the MCP tasks extension (`io.modelcontextprotocol/tasks`, protocol
 * 2026-07-28) for `@modelcontextprotocol/server` 2.x: `McpTasksServer` and `withTaskListen`,
 * durable on any `@tasks/core` backend and correct across instances.
 *
 * @module @tasks/mcp
 */
export type { TaskExecutor, TaskJob } from './server/execution.js';
export type { ExtensionCapabilities } from './server/extension.js';
export {
  declaresTasks,
  missingTasksCapability,
  REQUIRED_TASK_CAPABILITIES,
  TASKS_EXTENSION,
} from './server/extension.js';
export type { OwnerResolver, SharedOwner, TaskOwnerOptions } from './server/owners.js';
export { defaultOwnerOf } from './server/owners.js';
export { toProtocolError } from './server/protocol-errors.js';
export type { AuthenticatedRequest, NodeMcpHandler, RequestAuth } from './server/task-listen.js';
export { SUBSCRIPTION_ID_META_KEY, withTaskListen } from './server/task-listen.js';
export type { McpTasksServerOptions } from './server/tasks-server.js';
export { McpTasksServer } from './server/tasks-server.js';
export type {
  TaskSupport,
  TaskTool,
  TaskToolConfig,
  TaskToolContext,
  TaskToolHandler,
} from './server/task-tools.js';
export type { DetailedTask, DetailedTaskFields } from './server/wire.js';
export { createTaskResult, detailedTask } from './server/wire.js';
