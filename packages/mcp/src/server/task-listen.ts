import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthInfo } from '@modelcontextprotocol/server';
import { isPlainObject, type JsonObject, type TaskSnapshot } from '@tasks/core';
import { declaresTasks, REQUIRED_TASK_CAPABILITIES } from './extension.js';
import type { McpTasksServer } from './tasks-server.js';
import { detailedTask } from './wire.js';

/** The `_meta` key that ties a notification to its `subscriptions/listen` request. */
export const SUBSCRIPTION_ID_META_KEY = 'io.modelcontextprotocol/subscriptionId';

/** A Node request handler, as `toNodeHandler` from `@modelcontextprotocol/node` returns. */
export type NodeMcpHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  parsedBody?: unknown,
) => Promise<void> | void;

/** What an authentication middleware sets on a request (as the SDK's does). */
export interface RequestAuth {
  /** Who made the request, when authenticated. */
  auth?: AuthInfo;
}

/** A request an authentication middleware has run on. */
export type AuthenticatedRequest = IncomingMessage & RequestAuth;

/**
 * A Node handler for the MCP endpoint that serves `subscriptions/listen` requests naming
 * `notifications.taskIds` itself and passes everything else to `mcpHandler`: the SDK (2.4.0)
 * strips `taskIds` from a listen filter and has no way to publish `notifications/tasks`. Every
 * change of a listened task (from any instance: the tasks are watched in the store) is sent as a
 * `notifications/tasks` carrying the full `DetailedTask`, until every listened task is terminal.
 */
export function withTaskListen(tasks: McpTasksServer, mcpHandler: NodeMcpHandler): NodeMcpHandler {
  return async (req, res, parsedBody) => {
    if (req.method !== 'POST') return mcpHandler(req, res, parsedBody);
    let body = parsedBody;
    if (body === undefined) {
      const text = await readText(req);
      try {
        body = text.length === 0 ? undefined : (JSON.parse(text) as unknown);
      } catch {
        writeError(res, 400, null, -32700, 'Parse error');
        return;
      }
    }
    if (!isTaskListen(body)) return mcpHandler(req, res, body);
    await serveTaskListen(tasks, body, (req as AuthenticatedRequest).auth, res);
  };
}

/** A `subscriptions/listen` request for task ids. */
interface TaskListenRequest {
  id: string | number;
  params: { notifications: { taskIds: unknown[] }; _meta?: unknown };
}

function isTaskListen(body: unknown): body is TaskListenRequest {
  if (!isPlainObject(body) || body.method !== 'subscriptions/listen') return false;
  const params = body.params;
  return (
    isPlainObject(params) &&
    isPlainObject(params.notifications) &&
    Array.isArray(params.notifications.taskIds)
  );
}

async function serveTaskListen(
  tasks: McpTasksServer,
  request: TaskListenRequest,
  auth: AuthInfo | undefined,
  res: ServerResponse,
): Promise<void> {
  if (!declaresTasks(request.params._meta)) {
    writeError(res, 400, request.id, -32021, 'Missing required client capability', {
      requiredCapabilities: REQUIRED_TASK_CAPABILITIES,
    });
    return;
  }
  let owner: string;
  try {
    owner = tasks.ownerOfRequest(auth);
  } catch (error) {
    const { code, message } = error as { code: number; message: string };
    writeError(res, 200, request.id, code, message);
    return;
  }
  const requested = request.params.notifications.taskIds.filter(
    (id): id is string => typeof id === 'string',
  );
  const accepted: string[] = [];
  for (const taskId of new Set(requested)) {
    const task = await tasks.detailedTask(owner, taskId).catch(() => undefined);
    if (task !== undefined) accepted.push(taskId);
  }
  const meta = { [SUBSCRIPTION_ID_META_KEY]: request.id };
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (message: JsonObject): void => {
    res.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
  };
  send({
    jsonrpc: '2.0',
    method: 'notifications/subscriptions/acknowledged',
    params: { notifications: { taskIds: accepted }, _meta: meta },
  });
  const stop = new AbortController();
  res.on('close', () => stop.abort());
  await Promise.all(
    accepted.map(async (taskId) => {
      try {
        for await (const snapshot of tasks.watcher.watch(owner, taskId, { signal: stop.signal })) {
          send(notificationOf(snapshot, meta));
        }
      } catch {
        // The task expired or was deleted: nothing more will change.
      }
    }),
  );
  if (!res.writableEnded && !stop.signal.aborted) {
    send({ jsonrpc: '2.0', id: request.id, result: { resultType: 'complete', _meta: meta } });
    res.end();
  }
}

function notificationOf(snapshot: TaskSnapshot, meta: JsonObject): JsonObject {
  return {
    jsonrpc: '2.0',
    method: 'notifications/tasks',
    params: { ...detailedTask(snapshot), _meta: meta },
  };
}

function writeError(
  res: ServerResponse,
  status: number,
  id: string | number | null,
  code: number,
  message: string,
  data?: unknown,
): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      jsonrpc: '2.0',
      id,
      error: { code, message, ...(data === undefined ? {} : { data }) },
    }),
  );
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
