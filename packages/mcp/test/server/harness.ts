import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import {
  createTaskSessionFromClient,
  type TaskEnabledSession,
} from '@modelcontextprotocol/ext-tasks/client';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { type AuthInfo, createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { McpTasksServer, type McpTasksServerOptions } from '../../src/index.js';
import { withTaskListen } from '../../src/server/task-listen.js';
import { createRawDispatch } from '../../src/client/index.js';

/** One server instance on 127.0.0.1 serving MCP 2026-07-28 with tasks. */
export interface RunningServer {
  url: URL;
  tasks: McpTasksServer;
  close: () => Promise<void>;
}

/**
 * Starts the real SDK server (`createMcpHandler` + `toNodeHandler`) behind a test auth middleware:
 * `Authorization: Bearer <subject>` authenticates as that subject.
 */
export async function startServer(
  options: McpTasksServerOptions,
  register: (tasks: McpTasksServer) => void,
): Promise<RunningServer> {
  const tasks = new McpTasksServer(options);
  register(tasks);
  const handler = createMcpHandler(
    () => tasks.install(new McpServer({ name: 'tasks-test-server', version: '0.0.0' })),
    { legacy: 'reject' },
  );
  const node = withTaskListen(tasks, toNodeHandler(handler));
  const http: Server = createServer((req, res) => {
    authenticate(req);
    void node(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}/mcp`),
    tasks,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

function authenticate(req: IncomingMessage): void {
  const header = req.headers.authorization;
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return;
  const subject = header.slice('Bearer '.length);
  (req as IncomingMessage & { auth?: AuthInfo }).auth = {
    token: subject,
    clientId: `client-of-${subject}`,
    scopes: [],
    extra: { subject },
  };
}

/** Client capabilities that declare the tasks extension (needed on `subscriptions/listen`). */
export const TASKS_CAPABILITIES = { extensions: { 'io.modelcontextprotocol/tasks': {} } };

/** A connected official client (SDK `Client` + ext-tasks session) for one user. */
export interface ConnectedClient {
  client: Client;
  session: TaskEnabledSession<unknown>;
  close: () => Promise<void>;
}

/**
 * Connects the official 2026-07-28 client with the tasks extension, as `subject` (none:
 * anonymous). Its `Client` (server/discover, tools/list, listen) talks to `url`, its task traffic
 * (tools/call, tasks/*) to `rawUrl`, so the two can be different instances.
 */
export async function connect(
  url: URL,
  subject?: string,
  onInputRequest?: Parameters<typeof createTaskSessionFromClient>[1]['onInputRequest'],
  rawUrl: URL = url,
): Promise<ConnectedClient> {
  const headers: Record<string, string> =
    subject === undefined ? {} : { Authorization: `Bearer ${subject}` };
  const clientInfo = { name: 'tasks-test-client', version: '0.0.0' };
  const client = new Client(clientInfo, {
    capabilities: TASKS_CAPABILITIES,
    versionNegotiation: { mode: { pin: '2026-07-28' } },
  });
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers } }));
  const raw = await createRawDispatch(rawUrl, headers);
  const session = createTaskSessionFromClient(client, {
    endpointId: `test-${url.port}`,
    rawDispatch: raw.rawDispatch,
    v2RequestFraming: {
      protocolVersion: client.getNegotiatedProtocolVersion() as string,
      clientInfo,
      clientCapabilities: TASKS_CAPABILITIES,
    },
    ...(onInputRequest === undefined ? {} : { onInputRequest }),
  });
  return {
    client,
    session,
    close: async () => {
      await session.close();
      await raw.close();
      await client.close();
    },
  };
}

/** A plain 2026-07-28 client that does not declare the tasks extension. */
export async function connectPlain(url: URL, subject: string): Promise<Client> {
  const client = new Client(
    { name: 'plain-client', version: '0.0.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  await client.connect(
    new StreamableHTTPClientTransport(url, {
      requestInit: { headers: { Authorization: `Bearer ${subject}` } },
    }),
  );
  return client;
}
