import type { QueuedMessage, TaskMessageQueue } from '@modelcontextprotocol/sdk/experimental/tasks';
import { GenericTaskMessageQueue, type GenericTaskMessageQueueOptions } from '@tasks/core';
import { withMcpErrors } from './errors.js';
import { wireJsonObject } from './json.js';
import { type McpOwnerOptions, type OwnerResolver, ownerResolver } from './owner.js';

/**
 * Options of `McpTaskMessageQueue`: the store that holds the tasks (the same one `McpTaskStore`
 * takes), an optional size limit, and the same owner binding as the task store's.
 */
export interface McpTaskMessageQueueOptions
  extends GenericTaskMessageQueueOptions, McpOwnerOptions {}

/**
 * The MCP SDK's `TaskMessageQueue`, durable on the backend of the store that holds the tasks, for
 * `new McpServer(info, { taskStore, taskMessageQueue })`. FIFO per task; `maxSize` is enforced by
 * compare-and-swap, so concurrent enqueues never overfill a queue; `dequeueAll` empties it. A
 * queue belongs to its task's owner, bound to sessions like `McpTaskStore` (give both the same
 * owner options), and expires with its task.
 */
export class McpTaskMessageQueue implements TaskMessageQueue {
  private readonly queue: GenericTaskMessageQueue;
  private readonly resolveOwner: OwnerResolver;

  constructor(options: McpTaskMessageQueueOptions) {
    this.queue = new GenericTaskMessageQueue(options);
    this.resolveOwner = ownerResolver(options);
  }

  /** Appends `message`; fails when the session's owner has no such task or the queue holds `maxSize`. */
  async enqueue(
    taskId: string,
    message: QueuedMessage,
    sessionId?: string,
    maxSize?: number,
  ): Promise<void> {
    await withMcpErrors(() =>
      this.queue.enqueue(
        this.resolveOwner(sessionId),
        taskId,
        wireJsonObject(message, 'message'),
        maxSize,
      ),
    );
  }

  /** Removes and returns the oldest message, or `undefined` when there is none. */
  async dequeue(taskId: string, sessionId?: string): Promise<QueuedMessage | undefined> {
    const message = await withMcpErrors(() =>
      this.queue.dequeue(this.resolveOwner(sessionId), taskId),
    );
    return message as QueuedMessage | undefined;
  }

  /** Removes and returns every message, oldest first. */
  async dequeueAll(taskId: string, sessionId?: string): Promise<QueuedMessage[]> {
    const messages = await withMcpErrors(() =>
      this.queue.dequeueAll(this.resolveOwner(sessionId), taskId),
    );
    return messages as unknown as QueuedMessage[];
  }
}
