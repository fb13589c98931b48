import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { JsonRpcResponse, RawClientDispatch } from '@modelcontextprotocol/ext-tasks/client';

/** A raw request waiting for its response. */
interface Pending {
  resolve: (response: JsonRpcResponse) => void;
  reject: (error: unknown) => void;
}

/** A `rawDispatch` for ext-tasks, and how to close its transport. */
export interface RawDispatch {
  /** Sends one JSON-RPC request and resolves with its response (result or error). */
  rawDispatch: RawClientDispatch;
  /** Closes the transport. */
  close(): Promise<void>;
}

/**
 * The `rawDispatch` the ext-tasks client needs for 2026-07-28 (the SDK `Client` refuses a
 * `resultType: "task"` result and `tasks/*` methods): a second Streamable HTTP transport used as a
 * raw JSON-RPC pipe. The transport sets `MCP-Protocol-Version`, `Mcp-Method` and `Mcp-Name` from
 * each body, which the server requires.
 */
export async function createRawDispatch(
  url: URL,
  headers: Record<string, string>,
): Promise<RawDispatch> {
  const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers } });
  const pending = new Map<string, Pending>();
  let next = 0;
  transport.onmessage = (message: unknown) => {
    const framed = message as {
      id?: unknown;
      error?: { code: number; message: string; data?: unknown };
      result?: unknown;
    };
    if (framed === null || typeof framed !== 'object' || framed.id === undefined) return;
    const waiting = pending.get(String(framed.id));
    if (waiting === undefined) return;
    pending.delete(String(framed.id));
    waiting.resolve(
      framed.error !== undefined
        ? ({ kind: 'error', error: framed.error } as JsonRpcResponse)
        : { kind: 'result', result: framed.result as never },
    );
  };
  transport.onerror = (error) => {
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  await transport.start();
  const rawDispatch: RawClientDispatch = async (request, options) => {
    next += 1;
    const id = `raw-${next}`;
    const response = new Promise<JsonRpcResponse>((resolve, reject) =>
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
  return { rawDispatch, close: () => transport.close() };
}
