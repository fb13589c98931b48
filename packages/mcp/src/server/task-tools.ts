import {
  type CallToolResult,
  ProtocolError,
  ProtocolErrorCode,
  type StandardSchemaWithJSON,
  type ToolAnnotations,
} from '@modelcontextprotocol/server';
import type { InputRequests, InputResponses, JsonObject, JsonValue } from '@tasks/core';

/** Whether a tool runs as a task: always, when the client supports tasks, or never. */
export type TaskSupport = 'required' | 'optional' | 'forbidden';

/** What a tool declares for `tools/list`, as `McpServer.registerTool` takes it. */
export interface TaskToolConfig {
  /** Display name. */
  title?: string;
  /** What the tool does, for the model. */
  description?: string;
  /** The arguments' schema (a zod object or any Standard Schema with JSON Schema). */
  inputSchema?: StandardSchemaWithJSON;
  /** Hints about the tool's behaviour. */
  annotations?: ToolAnnotations;
  /** Extra metadata for `tools/list`. */
  _meta?: Record<string, unknown>;
}

/** What a tool handler gets besides its arguments. */
export interface TaskToolContext {
  /** The task's id; absent when an `optional` tool runs inline (the client did not declare tasks). */
  taskId?: string;
  /** The owner of the task (from the request's authentication). */
  owner: string;
  /**
   * Aborted when the task is cancelled (from any instance), ends elsewhere, or this worker loses
   * its lease; the handler should stop, and its later writes are refused.
   */
  signal: AbortSignal;
  /** The task's variables: state the handler keeps between steps. */
  variables: JsonObject;
  /** Merges `patch` into the task's variables (a `null` value deletes its key). */
  setVariables(patch: Record<string, JsonValue>): Promise<void>;
  /** Replaces the task's status message (a progress report). */
  reportStatus(message: string): Promise<void>;
  /**
   * Asks the client for input (for example `{ name: { method: 'elicitation/create', params } }`) and
   * resolves with every response, delivered through `tasks/update` on any instance. Keys must be new
   * over the task's life. Only in a task: inline, it rejects with `-32021`.
   */
  requestInput(requests: InputRequests, statusMessage?: string): Promise<InputResponses>;
}

/**
 * A task tool's work: its result is stored as the task's result (`completed`, `isError: true`
 * included); a thrown `ProtocolError` (a JSON-RPC error) ends it `failed` with that error; any
 * other thrown error becomes a `completed` result with `isError: true` and the error's message,
 * as `McpServer` reports a throwing tool.
 */
export type TaskToolHandler = (
  args: JsonObject,
  context: TaskToolContext,
) => CallToolResult | Promise<CallToolResult>;

/** A registered task tool. */
export interface TaskTool {
  /** The tool's name. */
  name: string;
  /** Its `tools/list` declaration. */
  config: TaskToolConfig;
  /** Whether it runs as a task. */
  taskSupport: TaskSupport;
  /** Its work. */
  handler: TaskToolHandler;
}

/** The arguments after `tool.config.inputSchema` checked them; `-32602` when they do not fit. */
export async function validatedArguments(tool: TaskTool, args: unknown): Promise<JsonObject> {
  const given = args ?? {};
  const schema = tool.config.inputSchema;
  if (schema === undefined) return given as JsonObject;
  const outcome = await schema['~standard'].validate(given);
  if (outcome.issues !== undefined) {
    const detail = outcome.issues.map((issue) => issue.message).join('; ');
    throw new ProtocolError(
      ProtocolErrorCode.InvalidParams,
      `Invalid arguments for tool ${tool.name}: ${detail}`,
    );
  }
  return outcome.value as JsonObject;
}

/** A JSON-RPC error a handler threw (a `ProtocolError` or anything shaped like one), if it is one. */
export function jsonRpcErrorOf(
  error: unknown,
): { code: number; message: string; data?: JsonValue } | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, data } = error as { code?: unknown; data?: unknown };
  if (typeof code !== 'number' || !Number.isSafeInteger(code)) return undefined;
  return {
    code,
    message: error.message,
    ...(data === undefined ? {} : { data: JSON.parse(JSON.stringify(data)) as JsonValue }),
  };
}

/** The tool result `McpServer` gives for a tool that threw a plain error. */
export function errorResult(error: unknown): CallToolResult {
  const message = error instanceof Error ? error.message : String(error);
  return { content: [{ type: 'text', text: message }], isError: true };
}
