import { McpTaskMessageQueue, McpTaskStore } from '@tasks/mcp/sdk-v1';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { TaskStorage } from '../storage.js';
import { type DemoToolOptions, registerDemoTools } from './tools.js';

/** Options of `createDemoServer`. */
export interface DemoServerOptions {
  /** Where the session's tasks and queued messages are kept. */
  storage: TaskStorage;
  /** The owner of this session's tasks; without one, tasks belong to the MCP session. */
  owner?: string;
  /** How the demo tools behave (step length, poll interval). */
  tools: DemoToolOptions;
}

/**
 * An `McpServer` for one session whose tools run as durable tasks: `McpTaskStore` and
 * `McpTaskMessageQueue` on the storage, bound to `owner` (an authenticated user) when given.
 */
export function createDemoServer(options: DemoServerOptions): McpServer {
  const { owner } = options;
  const owners = owner === undefined ? {} : { ownerOfSession: () => owner };
  const server = new McpServer(
    { name: 'tasks-demo-server', version: '0.1.0' },
    {
      capabilities: {
        tools: {},
        tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } },
      },
      taskStore: new McpTaskStore({ store: options.storage.store, ...owners }),
      taskMessageQueue: new McpTaskMessageQueue({ store: options.storage.store, ...owners }),
    },
  );
  registerDemoTools(server, options.tools);
  return server;
}
