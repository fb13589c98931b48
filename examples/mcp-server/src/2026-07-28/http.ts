import { createServer, type IncomingMessage } from 'node:http';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { type AuthInfo, createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { type AuthenticatedRequest, type McpTasksServer, withTaskListen } from '@tasks/mcp';
import { bearerUser, closeServer, LOOPBACK_HOST, listenOnLoopback } from '../loopback.js';

/** Options of `startTasksHttpServer`. */
export interface TasksHttpServerOptions {
  /** The port on 127.0.0.1 (0: any free port). */
  port: number;
  /** The tasks runtime whose tools the server serves. */
  tasks: McpTasksServer;
  /** Told about requests that failed inside the server. */
  onError: (error: unknown) => void;
}

/** A listening server. */
export interface RunningTasksServer {
  /** The MCP endpoint, `http://127.0.0.1:{port}/mcp`. */
  url: URL;
  /** Aborts requests in flight, closes every connection and stops listening. */
  close(): Promise<void>;
}

/**
 * Serves MCP 2026-07-28 over Streamable HTTP at `/mcp` on 127.0.0.1, stateless: every request
 * gets a fresh `McpServer` that `tasks.install` sets up, so any instance can answer any request.
 * `withTaskListen` serves `subscriptions/listen` for task ids in front of the SDK's handler. A
 * request with `Authorization: Bearer <name>` is authenticated as user `<name>`, a stand-in for
 * real authentication; the user owns the tasks it creates.
 */
export async function startTasksHttpServer(
  options: TasksHttpServerOptions,
): Promise<RunningTasksServer> {
  const handler = createMcpHandler(
    () => options.tasks.install(new McpServer({ name: 'tasks-demo-server', version: '0.2.0' })),
    { legacy: 'reject' },
  );
  const mcp = withTaskListen(options.tasks, toNodeHandler(handler));
  const http = createServer((req, res) => {
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/mcp') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    (req as AuthenticatedRequest).auth = authInfoOf(req);
    Promise.resolve(mcp(req, res)).catch((error: unknown) => {
      options.onError(error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Internal server error');
    });
  });
  const port = await listenOnLoopback(http, options.port);
  return {
    url: new URL(`http://${LOOPBACK_HOST}:${port}/mcp`),
    close: async () => {
      await handler.close();
      await closeServer(http);
    },
  };
}

/** The auth info the SDK passes to handlers (`ctx.http.authInfo`): the bearer token's user as subject. */
function authInfoOf(req: IncomingMessage): AuthInfo | undefined {
  const user = bearerUser(req);
  if (user === undefined) return undefined;
  return { token: user, clientId: 'tasks-demo-client', scopes: [], extra: { subject: user } };
}
