import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import {
  type ApplicationInputHandler,
  createTaskSessionFromClient,
  type TaskEnabledSession,
} from '@modelcontextprotocol/ext-tasks/client';
import { createRawDispatch } from '@tasks/mcp/client';

/** Client capabilities that declare the tasks extension (`io.modelcontextprotocol/tasks`). */
export const TASKS_CAPABILITIES = { extensions: { 'io.modelcontextprotocol/tasks': {} } };

/** The official 2026-07-28 client of one user: the SDK `Client` and its ext-tasks session. */
export interface TasksClient {
  /** The user the bearer token names. */
  user: string;
  /** The SDK client (`server/discover`, `tools/list`, `subscriptions/listen`). */
  client: Client;
  /** The ext-tasks session (`tools/call` as tasks, `tasks/get|update|cancel`). */
  session: TaskEnabledSession<unknown>;
  /** Closes the session and both transports. */
  close(): Promise<void>;
}

/**
 * Connects `@modelcontextprotocol/client` 2.x with `@modelcontextprotocol/ext-tasks` to `url` as
 * `user` (`Authorization: Bearer <user>`), pinned to 2026-07-28 and declaring the tasks extension.
 * `onInputRequest` answers the questions tasks ask (without one, ext-tasks cancels them).
 */
export async function connectTasksClient(
  url: URL,
  user: string,
  onInputRequest?: ApplicationInputHandler<unknown>['handle'],
): Promise<TasksClient> {
  const headers = { Authorization: `Bearer ${user}` };
  const clientInfo = { name: `tasks-demo-client-${user}`, version: '0.2.0' };
  const client = new Client(clientInfo, {
    capabilities: TASKS_CAPABILITIES,
    versionNegotiation: { mode: { pin: '2026-07-28' } },
  });
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers } }));
  const raw = await createRawDispatch(url, headers);
  const session = createTaskSessionFromClient(client, {
    endpointId: `tasks-demo-${url.host}`,
    rawDispatch: raw.rawDispatch,
    v2RequestFraming: {
      protocolVersion: client.getNegotiatedProtocolVersion() as string,
      clientInfo,
      clientCapabilities: TASKS_CAPABILITIES,
    },
    ...(onInputRequest === undefined ? {} : { onInputRequest }),
  });
  return {
    user,
    client,
    session,
    close: async () => {
      await session.close();
      await raw.close();
      await client.close();
    },
  };
}

/** A 2026-07-28 client that does not declare the tasks extension. */
export async function connectPlainClient(url: URL, user: string): Promise<Client> {
  const client = new Client(
    { name: `plain-client-${user}`, version: '0.2.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  await client.connect(
    new StreamableHTTPClientTransport(url, {
      requestInit: { headers: { Authorization: `Bearer ${user}` } },
    }),
  );
  return client;
}
