import {
  CLIENT_CAPABILITIES_META_KEY,
  MissingRequiredClientCapabilityError,
  type ServerContext,
} from '@modelcontextprotocol/server';

/** The identifier of the MCP tasks extension (SEP-2663). */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/** Client capabilities that declare an extension, by its identifier. */
export interface ExtensionCapabilities {
  /** The declared extensions; an empty object declares support. */
  extensions: Record<string, Record<string, never>>;
}

/** The capabilities a request needs for tasks, as `-32021` errors report them. */
export const REQUIRED_TASK_CAPABILITIES: ExtensionCapabilities = {
  extensions: { [TASKS_EXTENSION]: {} },
};

/** Whether the request's per-request client capabilities (`_meta`) declare the tasks extension. */
export function declaresTasks(envelope: unknown): boolean {
  if (typeof envelope !== 'object' || envelope === null) return false;
  const capabilities = (envelope as Record<string, unknown>)[CLIENT_CAPABILITIES_META_KEY];
  if (typeof capabilities !== 'object' || capabilities === null) return false;
  const extensions = (capabilities as { extensions?: unknown }).extensions;
  if (typeof extensions !== 'object' || extensions === null) return false;
  const declared = (extensions as Record<string, unknown>)[TASKS_EXTENSION];
  return typeof declared === 'object' && declared !== null;
}

/** Whether the handler's request declared the tasks extension. */
export function requestDeclaresTasks(ctx: ServerContext): boolean {
  return declaresTasks(ctx.mcpReq.envelope);
}

/** The `-32021` error for a request that needs the tasks extension and did not declare it. */
export function missingTasksCapability(): MissingRequiredClientCapabilityError {
  return new MissingRequiredClientCapabilityError(
    { requiredCapabilities: REQUIRED_TASK_CAPABILITIES },
    'Missing required client capability',
  );
}
