import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request as httpRequest,
  type ServerResponse,
} from 'node:http';
import { closeServer, LOOPBACK_HOST, listenOnLoopback } from '../loopback.js';

/** A server the proxy forwards to. */
export interface ProxyTarget {
  /** Its name in the proxy's log (`A`, `B`...). */
  name: string;
  /** Its MCP endpoint; only the origin is used, the path is the request's. */
  url: URL;
}

/** One request the proxy forwarded. */
export interface ProxiedRequest {
  /** The target that answered, or the last one tried. */
  target: string;
  /** The `Mcp-Method` header (`tools/call`, `tasks/get`...), when present. */
  method?: string;
  /** The `Mcp-Name` header (the tool name, or the task id of `tasks/*`), when present. */
  name?: string;
  /** The HTTP status the target answered, or 502 when none could be reached. */
  status: number;
  /** The targets that refused the connection before one answered. */
  refusedBy: string[];
}

/** A running proxy. */
export interface RoundRobinProxy {
  /** The proxy's MCP endpoint (`http://127.0.0.1:{port}/mcp`). */
  url: URL;
  /** Every request forwarded so far, in order. */
  readonly requests: readonly ProxiedRequest[];
  /** The target the next request goes to. */
  nextTarget(): string;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** Headers that belong to one connection and are not forwarded. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'upgrade'];

/**
 * A loopback HTTP proxy that sends each request to the next target in strict rotation (A, B, A,
 * B...), whatever the request: it never routes by `Mcp-Name` or anything else, so any follow-up
 * may land on an instance that did not create the task. A target that refuses the connection (a
 * killed process) is skipped for that request, as a load balancer's health check would, so the
 * request reaches a live one; any other failure answers 502. Responses, event streams included,
 * are streamed through.
 */
export async function startRoundRobinProxy(
  targets: readonly ProxyTarget[],
): Promise<RoundRobinProxy> {
  if (targets.length === 0) throw new TypeError('the proxy needs at least one target');
  const requests: ProxiedRequest[] = [];
  let next = 0;
  const take = (): ProxyTarget => {
    const target = targets[next % targets.length] as ProxyTarget;
    next += 1;
    return target;
  };
  const server = createServer((req, res) => {
    readBody(req).then(
      (body) => {
        const entry: ProxiedRequest = {
          target: '',
          ...header(req.headers, 'mcp-method', 'method'),
          ...header(req.headers, 'mcp-name', 'name'),
          status: 502,
          refusedBy: [],
        };
        requests.push(entry);
        forward(req, res, body, entry, take, targets.length);
      },
      () => res.destroy(),
    );
  });
  const port = await listenOnLoopback(server, 0);
  return {
    url: new URL(`http://${LOOPBACK_HOST}:${port}/mcp`),
    requests,
    nextTarget: () => (targets[next % targets.length] as ProxyTarget).name,
    close: () => closeServer(server),
  };
}

/** Sends the request to the next target; on a refused connection, to the one after it. */
function forward(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  entry: ProxiedRequest,
  take: () => ProxyTarget,
  attemptsLeft: number,
): void {
  const target = take();
  entry.target = target.name;
  const headers: IncomingHttpHeaders = { ...req.headers, host: target.url.host };
  for (const name of HOP_BY_HOP) delete headers[name];
  const upstream = httpRequest(
    {
      host: target.url.hostname,
      port: target.url.port,
      method: req.method,
      path: req.url,
      headers,
      agent: false,
    },
    (answer) => {
      entry.status = answer.statusCode ?? 502;
      const answerHeaders = { ...answer.headers };
      for (const name of HOP_BY_HOP) delete answerHeaders[name];
      res.writeHead(entry.status, answerHeaders);
      answer.pipe(res);
      res.once('close', () => answer.destroy());
    },
  );
  upstream.once('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'ECONNREFUSED' && attemptsLeft > 1 && !res.headersSent) {
      entry.refusedBy.push(target.name);
      forward(req, res, body, entry, take, attemptsLeft - 1);
      return;
    }
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`Bad gateway: ${target.name}: ${error.message}`);
  });
  upstream.end(body);
}

function header(
  headers: IncomingHttpHeaders,
  name: string,
  as: 'method' | 'name',
): Partial<Record<'method' | 'name', string>> {
  const value = headers[name];
  return typeof value === 'string' ? { [as]: value } : {};
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
