import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import { TaskError } from '@tasks/core';

/**
 * The JSON-RPC error a client sees for a store failure: unknown, expired and foreign tasks are
 * `-32602` "Task not found"; storage failures stay `-32603` (never turned into -32602); other task
 * errors keep their code and message. Anything else passes unchanged.
 */
export function toProtocolError(error: unknown, operation: string): unknown {
  if (!(error instanceof TaskError)) return error;
  if (error.name === 'TaskNotFoundError') {
    return new ProtocolError(
      ProtocolErrorCode.InvalidParams,
      `Failed to ${operation}: Task not found`,
    );
  }
  return new ProtocolError(error.code, error.message);
}

/** Runs `call`, turning store errors into the protocol errors clients must see. */
export async function withProtocolErrors<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toProtocolError(error, operation);
  }
}
