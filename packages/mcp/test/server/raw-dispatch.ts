import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { JsonRpcResponse, RawClientDispatch } from '@modelcontextprotocol/ext-tasks/client';

/** A pending raw request waiting for its response. */
interface Pending {
  resolve: (response: JsonRpcResponse) => void;
  reject: (error: unknown) => void;
}

/**
 * The `rawDispatch` the ext-tasks client needs for 2026-07-28 (the SDK `Client` refuses
 * `resultType: "task"`): a second Streamable HTTP transport used as a raw JSON-RPC pipe, which sets
 * the `MCP-Protocol-Version`, `Mcp-Method` and `Mcp-Name` headers from each body.
 */
export async function createRawDispatch(
  url: URL,
  headers: Record<string, string>,
): Promise<{ rawDispatch: RawClientDispatch; close: () => Promise<void> }> {
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
    await transport.send(
      { jsonrpc: '2.0', id, ...(request as object) } as never,
      {
        ...(options?.context?.headers === undefined ? {} : { headers: options.context.headers }),
        ...(options?.signal === undefined ? {} : { requestSignal: options.signal }),
      } as never,
    );
    return response;
  };
  return { rawDispatch, close: () => transport.close() };
}
