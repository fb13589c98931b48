import type { CallToolResult } from '@modelcontextprotocol/server';
import {
  type GenericTaskStore,
  isPlainObject,
  type JsonObject,
  TaskRun,
  type TaskRunOptions,
} from '@tasks/core';
import {
  errorResult,
  jsonRpcErrorOf,
  type TaskTool,
  type TaskToolContext,
  validatedArguments,
} from './task-tools.js';

/**
 * What a worker needs to run a task: which task. Everything else (the tool, its arguments, the
 * task's state) is read from the store, so a job can be handed to any process: JSON-serializable.
 */
export interface TaskJob {
  /** The task's owner. */
  owner: string;
  /** The task's id. */
  taskId: string;
}

/**
 * Hands a created task to whatever runs it: the default runs it in this process right after the
 * `tools/call` response; a deployment on AWS Lambda hands the job to a worker (a queue, another
 * function) that calls `McpTasksServer.execute(job)`. It must not wait for the task to finish.
 */
export type TaskExecutor = (job: TaskJob) => void | Promise<void>;

/** How a task's run is set up: the lease and watch settings of `TaskRun`. */
export type RunSettings = Omit<TaskRunOptions, 'holder'> & { holder: string };

/**
 * Runs a task's tool to its end on this worker: takes the lease, calls the handler with a context
 * that goes through the store, and records its outcome (result, `isError` result, or JSON-RPC
 * error). A task that already ended, or is cancelled or lost while the handler runs, is left as it is.
 */
export async function runTaskJob(
  store: GenericTaskStore,
  tools: ReadonlyMap<string, TaskTool>,
  job: TaskJob,
  settings: RunSettings,
  onError: (error: unknown) => void,
): Promise<void> {
  let run: TaskRun;
  try {
    run = await TaskRun.start(store, job.owner, job.taskId, settings);
  } catch (error) {
    onError(error);
    return;
  }
  try {
    const request = run.task.request ?? {};
    const tool = typeof request.name === 'string' ? tools.get(request.name) : undefined;
    if (tool === undefined) {
      await run.fail({ code: -32602, message: `Tool ${String(request.name)} not found` });
      return;
    }
    const outcome = await settle(tool, request.arguments, contextOf(run, job.owner));
    if (run.signal.aborted) return;
    if ('failure' in outcome) await run.fail(outcome.failure);
    else await run.complete(completeResult(outcome.result));
  } catch (error) {
    if (!run.signal.aborted) onError(error);
  } finally {
    run.stop();
  }
}

/** Runs a tool's handler inline (no task): its result, or its JSON-RPC error thrown on. */
export async function runInline(
  tool: TaskTool,
  args: JsonObject,
  context: TaskToolContext,
): Promise<CallToolResult> {
  const outcome = await settle(tool, args, context);
  if ('failure' in outcome) throw outcome.error;
  return outcome.result;
}

type Outcome =
  { result: CallToolResult } | { failure: { code: number; message: string }; error: unknown };

async function settle(tool: TaskTool, args: unknown, context: TaskToolContext): Promise<Outcome> {
  try {
    const valid = await validatedArguments(tool, args);
    return { result: await tool.handler(valid, context) };
  } catch (error) {
    const failure = jsonRpcErrorOf(error);
    return failure === undefined ? { result: errorResult(error) } : { failure, error };
  }
}

/** The handler's context on a run: everything through the store, so any instance can serve it. */
function contextOf(run: TaskRun, owner: string): TaskToolContext {
  return {
    taskId: run.taskId,
    owner,
    signal: run.signal,
    get variables() {
      return run.variables;
    },
    setVariables: async (patch) => void (await run.setVariables(patch)),
    reportStatus: async (message) => void (await run.reportStatus(message)),
    requestInput: (requests, statusMessage) => run.requestInput(requests, statusMessage),
  };
}

/** A tool result as a 2026-07-28 `CallToolResult` stored in a task: `resultType: "complete"`. */
function completeResult(result: CallToolResult): JsonObject {
  const plain = JSON.parse(JSON.stringify(result)) as unknown;
  const object = isPlainObject(plain) ? (plain as JsonObject) : {};
  return { resultType: 'complete', ...object };
}
