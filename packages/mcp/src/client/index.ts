/**
 * Client-side wiring for the official `@modelcontextprotocol/ext-tasks` client against a
 * 2026-07-28 tasks server: the raw dispatch it needs beside `@modelcontextprotocol/client` 2.x.
 *
 * @module @tasks/mcp/client
 */
export type {
  RawDispatch,
  RawDispatchConnection,
  RawDispatchContext,
  RawDispatchOptions,
  RawJsonRpcError,
  RawJsonRpcFailure,
  RawJsonRpcResponse,
  RawJsonRpcResult,
} from './raw-dispatch.js';
export { createRawDispatch } from './raw-dispatch.js';
