import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { bearerUser, closeServer, LOOPBACK_HOST, listenOnLoopback } from '../loopback.js';

/** Options of `startHttpServer`. */
export interface HttpServerOptions {
  /** The port on 127.0.0.1 (0: any free port). */
  port: number;
  /** A new MCP server for a new session of `user` (`undefined` without a bearer token). */
  createServer: (user: string | undefined) => McpServer;
  /** Told about requests that failed inside the server. */
  onError: (error: unknown) => void;
}

/** A listening server. */
export interface RunningHttpServer {
  /** The MCP endpoint, `http://127.0.0.1:{port}/mcp`. */
  url: URL;
  /** Closes every session and stops listening. */
  close(): Promise<void>;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  user: string | undefined;
}

/**
 * Serves MCP over Streamable HTTP at `/mcp` on 127.0.0.1: one `McpServer` and transport per
 * session. A request with `Authorization: Bearer <name>` is taken as user `<name>`, a stand-in
 * for real authentication; a session stays bound to the user that opened it.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const sessions = new Map<string, Session>();
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/mcp') {
      return reply(res, 404, 'Not found');
    }
    const user = bearerUser(req);
    const sessionId = req.headers['mcp-session-id'];
    if (sessionId === undefined) return openSession(req, res, user);
    const session = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (!session) return reply(res, 404, 'Session not found');
    if (session.user !== user) return reply(res, 403, 'Session belongs to another user');
    await session.transport.handleRequest(req, res);
  };
  const openSession = async (req: IncomingMessage, res: ServerResponse, user?: string) => {
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) => void sessions.set(id, { transport, user }),
    });
    transport.onclose = () => {
      if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
    };
    await options.createServer(user).connect(transport);
    await transport.handleRequest(req, res);
  };
  const http = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.onError(error);
      if (!res.headersSent) reply(res, 500, 'Internal server error');
    });
  });
  const port = await listenOnLoopback(http, options.port);
  return {
    url: new URL(`http://${LOOPBACK_HOST}:${port}/mcp`),
    close: async () => {
      for (const { transport } of [...sessions.values()]) await transport.close();
      await closeServer(http);
    },
  };
}

function reply(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}
