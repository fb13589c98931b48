/**
 * Durable tasks for `@modelcontextprotocol/sdk` 1.x (protocol 2025-11-25) on any `@tasks/core`
 * backend: `McpTaskStore` (the SDK's `TaskStore`) and `McpTaskMessageQueue` (its
 * `TaskMessageQueue`).
 *
 * @module @tasks/mcp/sdk-v1
 */
export type { McpTaskMessageQueueOptions } from './message-queue.js';
export { McpTaskMessageQueue } from './message-queue.js';
export type { McpOwnerOptions } from './owner.js';
export { DEFAULT_OWNER_WITHOUT_SESSION, OWNER_NAMESPACES } from './owner.js';
export type { McpTaskStoreOptions } from './task-store.js';
export { McpTaskStore } from './task-store.js';
export { toMcpError } from './errors.js';
