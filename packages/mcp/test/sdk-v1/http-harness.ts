import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  type Connection,
  createTaskServer,
  createTestClient,
  type StartHarness,
} from './fixture.js';

/**
 * Serves `createTaskServer` over Streamable HTTP on 127.0.0.1 (a free port), one server and
 * transport per session, and connects clients to it with the SDK's HTTP client transport.
 */
export const startHttpHarness: StartHarness = async (storage, controls) => {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const http = createServer((req, res) => {
    const sessionId = req.headers['mcp-session-id'];
    const known = typeof sessionId === 'string' ? transports.get(sessionId) : undefined;
    if (sessionId !== undefined && !known) {
      res.writeHead(404).end();
      return;
    }
    const serve = async () => {
      let transport = known;
      if (!transport) {
        const created = new StreamableHTTPServerTransport({
          sessionIdGenerator: randomUUID,
          onsessioninitialized: (id) => void transports.set(id, created),
        });
        created.onclose = () => void transports.delete(created.sessionId ?? '');
        await createTaskServer(storage, controls).connect(created);
        transport = created;
      }
      await transport.handleRequest(req, res);
    };
    serve().catch((error: unknown) => {
      controls.backgroundErrors.push(error);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  const url = await listen(http);
  const open = new Set<Connection>();
  return {
    connect: async () => {
      const questions: string[] = [];
      const client = createTestClient(questions);
      await client.connect(new StreamableHTTPClientTransport(url));
      const connection: Connection = {
        client,
        questions,
        close: async () => {
          open.delete(connection);
          await client.close();
        },
      };
      open.add(connection);
      return connection;
    },
    close: async () => {
      for (const connection of [...open]) await connection.close();
      for (const transport of [...transports.values()]) await transport.close();
      http.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        http.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
};

function listen(http: Server): Promise<URL> {
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => {
      const { port } = http.address() as AddressInfo;
      resolve(new URL(`http://127.0.0.1:${port}/mcp`));
    });
  });
}
