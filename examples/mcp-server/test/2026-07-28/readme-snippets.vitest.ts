import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as client from '@modelcontextprotocol/client';
import * as extTasks from '@modelcontextprotocol/ext-tasks/client';
import * as node from '@modelcontextprotocol/node';
import * as server from '@modelcontextprotocol/server';
import * as core from '@tasks/core';
import * as dynamodb from '@tasks/dynamodb';
import * as mcp from '@tasks/mcp';
import * as mcpClient from '@tasks/mcp/client';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod/v4';
import { connectTasksClient } from '../../src/2026-07-28/client.js';
import { silenceAwsNodeVersionNotice } from '../../src/cli-options.js';
import { closeServer } from '../../src/loopback.js';
import { ROOT_README, runSnippet, snippetsUnder } from '../readme.js';

/** The HTTP servers the snippets created, listening on a free port instead of the one they name. */
const servers: http.Server[] = [];

const MODULES: Record<string, unknown> = {
  'node:http': {
    ...http,
    createServer: (...args: Parameters<typeof http.createServer>) => {
      const created = http.createServer(...args);
      const listen = created.listen.bind(created);
      created.listen = ((_port: number, host: string) => listen(0, host)) as never;
      servers.push(created);
      return created;
    },
  },
  '@modelcontextprotocol/node': node,
  '@modelcontextprotocol/server': server,
  '@tasks/core': core,
  '@tasks/dynamodb': dynamodb,
  '@tasks/mcp': mcp,
  'zod/v4': z,
};

/** Starts the in-memory snippet's server; resolves with its runtime and its URL on a free port. */
async function startMemorySnippet(snippet: string): Promise<{ tasks: unknown; url: URL }> {
  const { tasks } = await runSnippet(snippet, ['tasks'], MODULES);
  const [listening] = servers;
  if (listening === undefined) throw new Error('the snippet started no server');
  if (!listening.listening) await new Promise((resolve) => listening.once('listening', resolve));
  const { port } = listening.address() as AddressInfo;
  return { tasks, url: new URL(`http://127.0.0.1:${port}/mcp`) };
}

/** The client's modules, with its transports sent to `url` whatever URL the snippet names. */
function clientModules(url: URL): Record<string, unknown> {
  class RedirectedTransport extends client.StreamableHTTPClientTransport {
    constructor(
      _url: URL,
      options?: ConstructorParameters<typeof client.StreamableHTTPClientTransport>[1],
    ) {
      super(url, options);
    }
  }
  return {
    '@modelcontextprotocol/client': {
      ...client,
      StreamableHTTPClientTransport: RedirectedTransport,
    },
    '@modelcontextprotocol/ext-tasks/client': extTasks,
    '@tasks/mcp/client': {
      ...mcpClient,
      createRawDispatch: (_url: URL, headers?: Record<string, string>) =>
        mcpClient.createRawDispatch(url, headers),
    },
  };
}

describe('README.md (root): Use it in your MCP server, 2026-07-28', () => {
  const snippets = snippetsUnder(ROOT_README, '### MCP 2026-07-28: `McpTasksServer`');
  const [memory, dynamo, clientSnippet] = snippets;

  afterEach(async () => {
    for (const created of servers.splice(0)) await closeServer(created);
  });

  it('has the three snippets this test runs', () => {
    expect(snippets).toHaveLength(3);
  });

  it('serves a task tool from the in-memory snippet, driven by the official client', async () => {
    const { tasks, url } = await startMemorySnippet(memory ?? '');
    expect(tasks).toBeInstanceOf(mcp.McpTasksServer);
    const alice = await connectTasksClient(
      url,
      'alice',
      async () => ({ action: 'accept' }) as never,
    );
    const bob = await connectTasksClient(url, 'bob', async () => ({ action: 'decline' }) as never);
    try {
      const published = await alice.session.callTool('publish_report', { topic: 'Q3' });
      if (published.kind !== 'task') throw new Error('publish_report did not create a task');
      const subscription = await alice.client.listen({
        taskIds: [published.handle.taskId],
      } as never);
      const { outcome } = await published.settle();
      await subscription.close();
      expect(extTasks.resultFromTaskOutcome(outcome)).toMatchObject({
        content: [{ type: 'text', text: 'Published the report on Q3' }],
      });
      const declined = await bob.session.callTool('publish_report', { topic: 'Q4' });
      expect((await declined.settle()).outcome).toMatchObject({
        status: 'failed',
        error: { code: -32000, message: 'Publishing declined' },
      });
      const anonymous = await fetch(url, { method: 'POST', body: '{}' });
      expect(anonymous.status).toBe(401);
    } finally {
      await bob.close();
      await alice.close();
    }
  });

  it('builds a task runtime on DynamoDB from the DynamoDB snippet', async () => {
    silenceAwsNodeVersionNotice();
    const { store, tasks } = await runSnippet(dynamo ?? '', ['store', 'tasks'], MODULES);
    expect(tasks).toBeInstanceOf(mcp.McpTasksServer);
    const { backend } = store as core.GenericTaskStore;
    expect(backend).toBeInstanceOf(dynamodb.DynamoDbBackend);
    (backend as dynamodb.DynamoDbBackend).destroy();
  });

  it('calls the in-memory snippet’s tool with the client snippet, which answers the question, and gets the result', async () => {
    const { url } = await startMemorySnippet(memory ?? '');
    const ran = await runSnippet(
      clientSnippet ?? '',
      ['result', 'session', 'raw', 'client'],
      clientModules(url),
    );
    expect(ran.result).toMatchObject({
      content: [{ type: 'text', text: 'Published the report on Q3' }],
    });
    await (ran.session as extTasks.TaskEnabledSession).close();
    await (ran.raw as mcpClient.RawDispatchConnection).close();
    await (ran.client as client.Client).close();
  });
});
