import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { JsonValue } from '@tasks/core';

/** A JSON-RPC error as a raw dispatch resolves with it. */
export interface RawJsonRpcError {
  /** The error code. */
  code: number;
  /** The error message. */
  message: string;
  /** Further detail. */
  data?: JsonValue;
}

/** A raw request's result. */
export interface RawJsonRpcResult {
  /** Says this is a result. */
  kind: 'result';
  /** The `result` member of the JSON-RPC response. */
  result: JsonValue;
}

/** A raw request's JSON-RPC error. */
export interface RawJsonRpcFailure {
  /** Says this is an error. */
  kind: 'error';
  /** The `error` member of the JSON-RPC response. */
  error: RawJsonRpcError;
}

/** The response of one raw request: its result, or its JSON-RPC error. */
export type RawJsonRpcResponse = RawJsonRpcResult | RawJsonRpcFailure;

/** Per-request options the ext-tasks client passes to a raw dispatch. */
export interface RawDispatchOptions {
  /** Aborts the request. */
  signal?: AbortSignal;
  /** What ext-tasks passes along with the request. */
  context?: RawDispatchContext;
}

/** What ext-tasks passes along with a raw request. */
export interface RawDispatchContext {
  /** Extra headers for this request (ext-tasks sets `Mcp-Name` for `tasks/*`). */
  headers?: Record<string, string>;
}

/**
 * Sends one JSON-RPC request (`{ method, params }`, no `jsonrpc` or `id`) and resolves with its
 * response: the shape of ext-tasks' `RawClientDispatch`.
 */
export type RawDispatch = (
  request: unknown,
  options?: RawDispatchOptions,
) => Promise<RawJsonRpcResponse>;

/** A raw dispatch on its own transport, and how to close that transport. */
export interface RawDispatchConnection {
  /** Pass it to `createTaskSessionFromClient(client, { rawDispatch, ... })`. */
  rawDispatch: RawDispatch;
  /** Closes the transport; requests still waiting are rejected. */
  close(): Promise<void>;
}

/** A raw request waiting for its response. */
interface Pending {
  resolve: (response: RawJsonRpcResponse) => void;
  reject: (error: unknown) => void;
}

/**
 * The `rawDispatch` the official ext-tasks client needs for a 2026-07-28 server (the SDK `Client`
 * refuses a `resultType: "task"` result and the `tasks/*` methods): a second Streamable HTTP
 * transport to `url`, used as a raw JSON-RPC pipe. The transport sets `MCP-Protocol-Version`,
 * `Mcp-Method` and `Mcp-Name` from each body, which the SDK server requires; `headers` go on every
 * request (for example `Authorization`).
 */
export async function createRawDispatch(
  url: URL,
  headers: Record<string, string> = {},
): Promise<RawDispatchConnection> {
  const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers } });
  const pending = new Map<string, Pending>();
  let next = 0;
  transport.onmessage = (message: unknown) => {
    const framed = message as { id?: unknown; error?: RawJsonRpcError; result?: JsonValue };
    if (framed === null || typeof framed !== 'object' || framed.id === undefined) return;
    const waiting = pending.get(String(framed.id));
    if (waiting === undefined) return;
    pending.delete(String(framed.id));
    waiting.resolve(
      framed.error !== undefined
        ? { kind: 'error', error: framed.error }
        : { kind: 'result', result: framed.result ?? null },
    );
  };
  transport.onerror = (error) => {
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  await transport.start();
  const rawDispatch: RawDispatch = async (request, options) => {
    next += 1;
    const id = `raw-${next}`;
    const response = new Promise<RawJsonRpcResponse>((resolve, reject) =>
      pending.set(id, { resolve, reject }),
    );
    try {
      await transport.send(
        { jsonrpc: '2.0', id, ...(request as object) } as never,
        {
          ...(options?.context?.headers === undefined ? {} : { headers: options.context.headers }),
          ...(options?.signal === undefined ? {} : { requestSignal: options.signal }),
        } as never,
      );
    } catch (error) {
      pending.delete(id);
      throw error;
    }
    return response;
  };
  return {
    rawDispatch,
    close: async () => {
      for (const waiting of pending.values()) waiting.reject(new Error('The raw dispatch closed'));
      pending.clear();
      await transport.close();
    },
  };
}
