import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { GenericTaskStore, InMemoryBackend, type StorageBackend } from '@tasks/core';
import { McpTasksServer } from '@tasks/mcp';
import { createProxyServer } from 'http-proxy-3';
import type { DynamoDbFixture } from '../dynamodb-fixture.js';
import { formatCount, formatMs, formatRatio } from '../markdown.js';
import type { PartReport } from '../report.js';

/** Pollers running at once, each sending `tasks/get` after the previous answer. */
const POLLERS = 8;

/** How long each setup is polled, after a warm-up of the same length. */
const DURATION_MS = 5_000;

/** Rounds per setup, rotating the order; the median round is reported. */
const ROUNDS = 3;

/** The headers and `_meta` a 2026-07-28 client sends with `tasks/get`. */
const PROTOCOL_VERSION = '2026-07-28';

/** One setup: where the pollers send their requests, and how to stop it. */
interface Setup {
  name: string;
  url: string;
  owner: string;
  store: GenericTaskStore;
  close: () => Promise<void>;
}

/** The figures of one setup. */
interface SetupResult {
  name: string;
  pollsPerSecond: number;
  p50: number;
  errors: number;
}

/**
 * Part 8: `tasks/get` polls per second through the 2026-07-28 server (`McpTasksServer` on
 * `@modelcontextprotocol/server` 2.4.0, real HTTP on 127.0.0.1): one instance on DynamoDB Local,
 * two behind a round-robin proxy, and one on the in-memory backend.
 */
export async function measureTasksHttp(db: DynamoDbFixture): Promise<PartReport> {
  const setups: Array<() => Promise<Setup>> = [
    () => oneInstance('in memory, one instance', new InMemoryBackend()),
    () => oneInstance('DynamoDB, one instance', db.backend),
    () => twoInstances('DynamoDB, two instances behind a round-robin proxy', db.backend),
  ];
  const results: SetupResult[][] = setups.map(() => []);
  for (let round = 0; round < ROUNDS; round += 1) {
    for (let turn = 0; turn < setups.length; turn += 1) {
      const index = (turn + round) % setups.length;
      const setup = await (setups[index] as () => Promise<Setup>)();
      try {
        (results[index] as SetupResult[]).push(await poll(setup));
      } finally {
        await setup.close();
      }
    }
  }
  const medians = results.map(medianRound);
  const memory = medians[0] as SetupResult;
  return {
    title: '8. MCP 2026-07-28: `tasks/get` polls per second through the server over HTTP',
    method: `${POLLERS} pollers on 127.0.0.1 each send \`tasks/get\` (with the headers and \`_meta\` of a 2026-07-28 client) for one working task as soon as the previous answer came, for ${DURATION_MS / 1000} s after as long a warm-up; ${ROUNDS} rounds, rotating the order of the setups, the median round reported. Every instance is \`McpTasksServer.install\` on a new \`McpServer\` per request (\`createMcpHandler\` + \`toNodeHandler\`), all in this one process, so the setups share its two cores with DynamoDB Local.`,
    table: {
      headers: ['Setup', 'Polls/s', 'p50 latency', 'Against in memory', 'Errors'],
      rows: medians.map((result) => [
        result.name,
        formatCount(result.pollsPerSecond),
        formatMs(result.p50),
        formatRatio(result.pollsPerSecond / memory.pollsPerSecond),
        String(result.errors),
      ]),
    },
    notes: [
      'Each poll is one consistent GetItem on DynamoDB; the proxy ignores `Mcp-Name`, so consecutive polls of a task land on different instances, which read the same record.',
      'Two instances and the proxy run in this process on the same two cores, so they add the proxy’s hop and share the CPU; on separate machines each instance would bring its own.',
    ],
    raw: results,
  };
}

async function oneInstance(name: string, backend: StorageBackend): Promise<Setup> {
  const instance = await startInstance(backend);
  return {
    name,
    url: instance.url,
    owner: instance.owner,
    store: instance.store,
    close: instance.close,
  };
}

async function twoInstances(name: string, backend: StorageBackend): Promise<Setup> {
  const first = await startInstance(backend);
  const second = await startInstance(backend);
  const targets = [first.url, second.url];
  let next = 0;
  const proxy = createProxyServer({});
  const server = createServer((req, res) => {
    const target = targets[next % targets.length] as string;
    next += 1;
    proxy.web(req, res, { target: new URL(target).origin }, () => {
      res.statusCode = 502;
      res.end();
    });
  });
  const url = await listen(server);
  return {
    name,
    url: `${url}/mcp`,
    owner: first.owner,
    store: first.store,
    close: async () => {
      await close(server);
      proxy.close();
      await first.close();
      await second.close();
    },
  };
}

/** One server instance: its own store on `backend`, served over HTTP on 127.0.0.1. */
async function startInstance(backend: StorageBackend) {
  const store = new GenericTaskStore({ backend, limits: { maxActiveTasksPerOwner: null } });
  const tasks = new McpTasksServer({ store, unauthenticated: { sharedOwner: 'bench' } });
  const handler = createMcpHandler(
    () => tasks.install(new McpServer({ name: 'tasks-bench', version: '0.0.0' })),
    { legacy: 'reject' },
  );
  const node = toNodeHandler(handler);
  const server = createServer((req, res) => void node(req, res));
  const origin = await listen(server);
  return {
    url: `${origin}/mcp`,
    owner: tasks.ownerOfRequest(undefined),
    store,
    close: () => close(server),
  };
}

/** Polls the setup's task for `DURATION_MS` after as long a warm-up. */
async function poll(setup: Setup): Promise<SetupResult> {
  const { taskId } = await setup.store.create(setup.owner);
  await pollFor(setup.url, taskId, DURATION_MS);
  const { polls, latencies, errors } = await pollFor(setup.url, taskId, DURATION_MS);
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    name: setup.name,
    pollsPerSecond: polls / (DURATION_MS / 1000),
    p50: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
    errors,
  };
}

async function pollFor(url: string, taskId: string, durationMs: number) {
  const until = performance.now() + durationMs;
  const latencies: number[] = [];
  let errors = 0;
  const request = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tasks/get',
    params: {
      taskId,
      _meta: {
        'io.modelcontextprotocol/protocolVersion': PROTOCOL_VERSION,
        'io.modelcontextprotocol/clientInfo': { name: 'tasks-bench', version: '0.0.0' },
        'io.modelcontextprotocol/clientCapabilities': {
          extensions: { 'io.modelcontextprotocol/tasks': {} },
        },
      },
    },
  });
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': PROTOCOL_VERSION,
    'mcp-method': 'tasks/get',
    'mcp-name': taskId,
  };
  const poller = async () => {
    while (performance.now() < until) {
      const started = performance.now();
      const response = await fetch(url, { method: 'POST', headers, body: request });
      const body = (await response.json()) as { result?: { taskId?: string } };
      if (response.status !== 200 || body.result?.taskId !== taskId) errors += 1;
      else latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: POLLERS }, poller));
  return { polls: latencies.length, latencies, errors };
}

function medianRound(rounds: SetupResult[]): SetupResult {
  const sorted = [...rounds].sort((a, b) => a.pollsPerSecond - b.pollsPerSecond);
  return sorted[Math.floor(sorted.length / 2)] as SetupResult;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
