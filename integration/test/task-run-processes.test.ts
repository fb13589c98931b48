import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from '@jest/globals';
import { type GenericTaskStore, WORKER_LOST_CODE } from '@tasks/core';
import { runEndpoint } from './support/run-endpoint.js';
import { storeOn, useTestTable } from './support/table.js';
import type { WorkerArguments } from './support/task-run-worker.js';

const WORKER = path.join(__dirname, 'support', 'task-run-worker.ts');
const OWNER = 'user:carol';
const TIMING = { leaseMs: 2_000, renewEveryMs: 500, pollIntervalMs: 200 };
/** Room for the requests to DynamoDB Local and a loaded machine, beyond each bound. */
const MARGIN_MS = 1_000;

/** A worker process running a `TaskRun`, and the JSON lines it printed. */
interface Worker {
  child: ChildProcess;
  /** Resolves with the first line whose `event` is `event`. */
  next(event: string): Promise<{ at: number; [key: string]: unknown }>;
  exited: Promise<void>;
}

describe('TaskRun across two processes on DynamoDB Local', () => {
  const table = useTestTable('task-run-processes');
  const workers: Worker[] = [];

  afterEach(async () => {
    for (const { child, exited } of workers.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    }
  });

  function startWorker(taskId: string, mode: WorkerArguments['mode']): Worker {
    const args: WorkerArguments = {
      endpoint: runEndpoint(),
      tableName: table().tableName,
      owner: OWNER,
      taskId,
      holder: 'worker-A',
      mode,
      ...TIMING,
    };
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(args)], {
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const next = async (event: string) => {
      for (let waited = 0; waited < 30_000; waited += 20) {
        for (const line of output.split('\n')) {
          if (!line.startsWith('{')) continue;
          const parsed = JSON.parse(line) as { event: string; at: number };
          if (parsed.event === event) return parsed;
        }
        await delay(20);
      }
      throw new Error(`the worker never said ${event}; its output:\n${output}`);
    };
    const worker = { child, next, exited };
    workers.push(worker);
    return worker;
  }

  async function created(store: GenericTaskStore): Promise<string> {
    const task = await store.create(OWNER, {
      requestMethod: 'tools/call',
      lease: { holder: 'creator-B', durationMs: 30_000 },
    });
    return task.taskId;
  }

  it('a cancel made by this process reaches the handler in the other within the poll interval', async () => {
    const store = storeOn(table());
    const taskId = await created(store);
    const worker = startWorker(taskId, 'cancel');
    await worker.next('started');
    const sentAt = Date.now();
    await store.cancel(OWNER, taskId);
    const aborted = await worker.next('aborted');
    const seenMs = aborted.at - sentAt;
    console.log(
      `cancel seen by the other process after ${seenMs} ms (poll ${TIMING.pollIntervalMs} ms)`,
    );
    expect(aborted.reason).toBe('cancelled');
    expect(seenMs).toBeLessThanOrEqual(TIMING.pollIntervalMs + MARGIN_MS);
  });

  it('input delivered by this process reaches the handler in the other within the poll interval', async () => {
    const store = storeOn(table());
    const taskId = await created(store);
    const worker = startWorker(taskId, 'input');
    await worker.next('started');
    for (let reads = 0; (await store.get(OWNER, taskId)).status !== 'input_required'; reads += 1) {
      if (reads > 100) throw new Error('the task never asked for input');
      await delay(50);
    }
    const sentAt = Date.now();
    await store.respondToInput(OWNER, taskId, {
      confirm: { action: 'accept', content: { go: true } },
    });
    const received = await worker.next('input');
    const seenMs = received.at - sentAt;
    console.log(
      `input seen by the other process after ${seenMs} ms (poll ${TIMING.pollIntervalMs} ms)`,
    );
    expect(received.responses).toEqual({ confirm: { action: 'accept', content: { go: true } } });
    expect(seenMs).toBeLessThanOrEqual(TIMING.pollIntervalMs + MARGIN_MS);
    await worker.next('completed');
    expect(await store.get(OWNER, taskId)).toMatchObject({
      status: 'completed',
      result: { answer: { confirm: { action: 'accept', content: { go: true } } } },
    });
  });

  it('reads the task of a worker killed with SIGKILL failed (worker lost, -32603) within the lease bound, written once', async () => {
    const store = storeOn(table());
    const taskId = await created(store);
    const worker = startWorker(taskId, 'hold');
    await worker.next('started');
    await delay(TIMING.renewEveryMs * 2);
    expect((await store.get(OWNER, taskId)).lease?.holder).toBe('worker-A');
    const killedAt = performance.now();
    worker.child.kill('SIGKILL');
    await worker.exited;
    let task = await store.get(OWNER, taskId);
    while (task.status === 'working' && performance.now() - killedAt < TIMING.leaseMs + 10_000) {
      await delay(50);
      task = await store.get(OWNER, taskId);
    }
    const readMs = Math.round(performance.now() - killedAt);
    console.log(
      `SIGKILL: the survivor read the task failed after ${readMs} ms (lease ${TIMING.leaseMs} ms)`,
    );
    expect(task.status).toBe('failed');
    expect(task.error).toMatchObject({
      code: WORKER_LOST_CODE,
      message: expect.stringContaining("worker 'worker-A' stopped renewing its lease"),
    });
    expect(readMs).toBeLessThanOrEqual(TIMING.leaseMs + 50 + MARGIN_MS);
    const other = storeOn(table());
    expect(await other.get(OWNER, taskId)).toEqual(task);
  });
});
