import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { TaskError } from '@tasks/core';

/**
 * Runs `call`, turning a `TaskError` into the SDK's `McpError` with the same JSON-RPC code and
 * message (the original kept as `cause`), so the client sees the spec's codes.
 */
export async function withMcpErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toMcpError(error);
  }
}

/** The `McpError` a client should see for `error`; anything but a `TaskError` passes unchanged. */
export function toMcpError(error: unknown): unknown {
  if (!(error instanceof TaskError)) return error;
  const mcpError = new McpError(error.code, error.message);
  mcpError.cause = error;
  return mcpError;
}
