import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { resultFromTaskOutcome } from '@modelcontextprotocol/ext-tasks/client';
import * as node from '@modelcontextprotocol/node';
import * as server from '@modelcontextprotocol/server';
import * as core from '@tasks/core';
import * as dynamodb from '@tasks/dynamodb';
import * as mcp from '@tasks/mcp';
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

describe('README.md (root): Use it in your MCP server, 2026-07-28', () => {
  const snippets = snippetsUnder(ROOT_README, '### MCP 2026-07-28: `McpTasksServer`');
  const [memory, dynamo] = snippets;

  afterEach(async () => {
    for (const created of servers.splice(0)) await closeServer(created);
  });

  it('has the two snippets this test runs', () => {
    expect(snippets).toHaveLength(2);
  });

  it('serves a task tool from the in-memory snippet, driven by the official client', async () => {
    const { tasks } = runSnippet(memory ?? '', ['tasks'], MODULES);
    expect(tasks).toBeInstanceOf(mcp.McpTasksServer);
    const [listening] = servers;
    if (listening === undefined) throw new Error('the snippet started no server');
    await new Promise((resolve) =>
      listening.listening ? resolve(undefined) : listening.once('listening', resolve),
    );
    const { port } = listening.address() as AddressInfo;
    const url = new URL(`http://127.0.0.1:${port}/mcp`);
    const alice = await connectTasksClient(
      url,
      'alice',
      async () => ({ action: 'accept' }) as never,
    );
    const bob = await connectTasksClient(url, 'bob', async () => ({ action: 'decline' }) as never);
    try {
      const published = await alice.session.callTool('publish_report', { topic: 'Q3' });
      expect(published.kind).toBe('task');
      if (published.kind !== 'task') return;
      const subscription = await alice.client.listen({
        taskIds: [published.handle.taskId],
      } as never);
      const { outcome } = await published.settle();
      await subscription.close();
      expect(resultFromTaskOutcome(outcome)).toMatchObject({
        content: [{ type: 'text', text: 'Published the report on Q3' }],
      });
      const declined = await bob.session.callTool('publish_report', { topic: 'Q4' });
      const { outcome: failed } = await declined.settle();
      expect(failed).toMatchObject({
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

  it('builds a task runtime on DynamoDB from the DynamoDB snippet', () => {
    silenceAwsNodeVersionNotice();
    const { store, tasks } = runSnippet(dynamo ?? '', ['store', 'tasks'], MODULES);
    expect(tasks).toBeInstanceOf(mcp.McpTasksServer);
    const { backend } = store as core.GenericTaskStore;
    expect(backend).toBeInstanceOf(dynamodb.DynamoDbBackend);
    (backend as dynamodb.DynamoDbBackend).destroy();
  });
});
