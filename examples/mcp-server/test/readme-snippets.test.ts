import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import * as serverModule from '@modelcontextprotocol/sdk/server/mcp.js';
import * as core from '@tasks/core';
import * as dynamodb from '@tasks/dynamodb';
import * as mcp from '@tasks/mcp/sdk-v1';
import { silenceAwsNodeVersionNotice } from '../src/cli-options.js';
import { ROOT_README, runSnippet, snippetsUnder } from './readme.js';

const MODULES: Record<string, unknown> = {
  '@modelcontextprotocol/sdk/server/mcp.js': serverModule,
  '@tasks/core': core,
  '@tasks/mcp/sdk-v1': mcp,
  '@tasks/dynamodb': dynamodb,
};

describe('README.md (root): Use it in your MCP server, 2025-11-25', () => {
  const snippets = snippetsUnder(ROOT_README, '### MCP 2025-11-25: `@tasks/mcp/sdk-v1`');
  const [memory, dynamo, owners] = snippets;

  it('has the three snippets this test runs', () => {
    expect(snippets).toHaveLength(3);
  });

  it('builds a working task server from the in-memory snippet', async () => {
    const { server } = await runSnippet(memory ?? '', ['server'], MODULES);
    expect(server).toBeInstanceOf(serverModule.McpServer);
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await (server as serverModule.McpServer).connect(serverTransport);
    const client = new Client({ name: 'readme', version: '1.0.0' });
    await client.connect(clientTransport);
    expect(await client.experimental.tasks.listTasks()).toMatchObject({ tasks: [] });
    await client.close();
  });

  it('builds the store and the queue from the DynamoDB snippet', async () => {
    silenceAwsNodeVersionNotice();
    const { backend, taskStore, taskMessageQueue } = await runSnippet(
      dynamo ?? '',
      ['backend', 'taskStore', 'taskMessageQueue'],
      MODULES,
    );
    expect(backend).toBeInstanceOf(dynamodb.DynamoDbBackend);
    expect(taskStore).toBeInstanceOf(mcp.McpTaskStore);
    expect(taskMessageQueue).toBeInstanceOf(mcp.McpTaskMessageQueue);
    (backend as dynamodb.DynamoDbBackend).destroy();
  });

  it('binds the tasks of every session to the authenticated user with the owner snippet', async () => {
    const store = new core.GenericTaskStore({ backend: new core.InMemoryBackend() });
    const { taskStore, taskMessageQueue } = await runSnippet(
      owners ?? '',
      ['taskStore', 'taskMessageQueue'],
      MODULES,
      { req: { auth: { clientId: 'alice' } }, store, ...mcp },
    );
    const created = await (taskStore as mcp.McpTaskStore).createTask(
      { ttl: 60_000 },
      1,
      { method: 'tools/call', params: { name: 'x' } },
      'session-1',
    );
    const other = await (taskStore as mcp.McpTaskStore).getTask(created.taskId, 'session-2');
    expect(other?.taskId).toBe(created.taskId);
    expect(taskMessageQueue).toBeInstanceOf(mcp.McpTaskMessageQueue);
  });
});

describe('examples/mcp-server/README.md: who owns a task (2025-11-25)', () => {
  const snippets = snippetsUnder(
    join(__dirname, '..', 'README.md'),
    '### Who owns a task (2025-11-25)',
  );

  it('builds a server whose tasks belong to the authenticated user from the session snippet', async () => {
    expect(snippets).toHaveLength(1);
    const store = new core.GenericTaskStore({ backend: new core.InMemoryBackend() });
    const { server, owners } = await runSnippet(snippets[0] ?? '', ['server', 'owners'], MODULES, {
      req: { auth: { clientId: 'alice' } },
      info: { name: 'readme', version: '1.0.0' },
      capabilities: { tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } },
      store,
      McpServer: serverModule.McpServer,
      ...mcp,
    });
    expect(server).toBeInstanceOf(serverModule.McpServer);
    expect((owners as { ownerOfSession: () => string }).ownerOfSession()).toBe('alice');
  });
});
