import { setTimeout as delay } from 'node:timers/promises';
import type { TaskView } from '@modelcontextprotocol/ext-tasks/client';
import { connectTasksClient, type TasksClient } from '@tasks/example-mcp-server/client';
import { type ServerProcess, startServerProcess } from '@tasks/example-mcp-server/instances';
import { type RoundRobinProxy, startRoundRobinProxy } from '@tasks/example-mcp-server/proxy';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestTable, type TestTable } from '../src/index.js';
import { loggedAt } from './support/server-log.js';

/** Short leases and watch intervals, so the bounds are measured in seconds. */
const SETTINGS = {
  leaseMs: 3_000,
  renewEveryMs: 1_000,
  watchIntervalMs: 200,
  pollIntervalMs: 100,
  stepMs: 100,
};
/** Room for the requests, the store's reads and writes and a loaded machine, beyond each bound. */
const MARGIN_MS = 1_000;

describe('two 2026-07-28 server processes on one DynamoDB table behind a round-robin proxy', () => {
  let table: TestTable;
  const servers: ServerProcess[] = [];
  let proxy: RoundRobinProxy;
  let alice: TasksClient;

  beforeAll(async () => {
    table = await createTestTable(inject('dynamoDbEndpoint'), { label: 'mcp-v2' });
    servers.push(
      ...(await Promise.all(
        ['A', 'B'].map((instance) =>
          startServerProcess({
            ...SETTINGS,
            instance,
            endpoint: inject('dynamoDbEndpoint'),
            table: table.tableName,
          }),
        ),
      )),
    );
    proxy = await startRoundRobinProxy(
      servers.map((server) => ({ name: server.instance, url: server.url })),
    );
    alice = await connectTasksClient(proxy.url, 'alice');
  });

  afterAll(async () => {
    await alice?.close();
    await proxy?.close();
    for (const server of servers) await server.stop();
    await table?.drop();
  });

  /** Calls `tool` as a task; returns the task and the instance that created it, and the other. */
  async function create(tool: string, args: Record<string, string | number>) {
    const execution = await alice.session.callTool(tool, args);
    if (execution.kind !== 'task') throw new Error(`${tool} did not create a task`);
    await execution.detach();
    const call = proxy.requests.findLast((request) => request.method === 'tools/call');
    const creator = servers.find((server) => server.instance === call?.target) as ServerProcess;
    const other = servers.find((server) => server !== creator) as ServerProcess;
    const { taskId } = execution.handle;
    return { taskId, controller: alice.session.task(taskId), creator, other };
  }

  /** Runs `call` (one HTTP request) on `server`: requests to another path move the proxy on until it is next. */
  async function through<T>(server: ServerProcess, method: string, call: () => Promise<T>) {
    while (proxy.nextTarget() !== server.instance) {
      await (await fetch(new URL('/next', proxy.url))).body?.cancel();
    }
    const result = await call();
    expect(proxy.requests.at(-1)).toMatchObject({ target: server.instance, method, status: 200 });
    return result;
  }

  /** Reads the task through the proxy until `done`; at most 100 reads. */
  async function readUntil(
    snapshot: () => Promise<TaskView>,
    done: (task: TaskView) => boolean,
  ): Promise<TaskView> {
    for (let reads = 0; reads < 100; reads += 1) {
      const task = await snapshot();
      if (done(task)) return task;
      await delay(SETTINGS.pollIntervalMs);
    }
    throw new Error('the task never reached the state waited for');
  }

  it('creates on one instance; the other answers tasks/get and tasks/update, and the handler gets the answer within the watch interval', async () => {
    const { taskId, controller, creator, other } = await create('cleanup_workspace', {
      path: '/srv/tmp',
    });
    const asking = await readUntil(
      () => through(other, 'tasks/get', () => controller.snapshot()),
      (task) => task.status === 'input_required',
    );
    expect(asking.raw.inputRequests).toMatchObject({
      confirm: { method: 'elicitation/create', params: { mode: 'form' } },
    });
    const sentAt = Date.now();
    await through(other, 'tasks/update', () =>
      controller.update({ confirm: { action: 'accept', content: { confirm: true } } } as never),
    );
    const seenMs = (await loggedAt(creator, taskId, 'input received (confirm: true)')) - sentAt;
    console.log(
      `input through ${other.instance}, seen by the handler on ${creator.instance} after ${seenMs} ms (watch interval ${SETTINGS.watchIntervalMs} ms)`,
    );
    expect(seenMs).toBeLessThanOrEqual(SETTINGS.watchIntervalMs + MARGIN_MS);
    const done = await readUntil(
      () => through(other, 'tasks/get', () => controller.snapshot()),
      (task) => task.status === 'completed',
    );
    expect(done.raw.result).toMatchObject({
      content: [{ type: 'text', text: 'Deleted 3 temporary files in /srv/tmp.' }],
    });
    expect(done.statusMessage).toBe(`deleting 3 files (instance ${creator.instance})`);
  });

  it('cancels through the other instance: the handler on the creator stops within the watch interval', async () => {
    const { taskId, controller, creator, other } = await create('generate_report', {
      topic: 'cancel me',
      steps: 100,
    });
    const running = await readUntil(
      () => through(other, 'tasks/get', () => controller.snapshot()),
      (task) => /^step \d+ of 100/.test(task.statusMessage ?? ''),
    );
    expect(running.statusMessage).toMatch(new RegExp(`\\(instance ${creator.instance}\\)$`));
    const sentAt = Date.now();
    await through(other, 'tasks/cancel', () => controller.cancel());
    const seenMs = (await loggedAt(creator, taskId, 'handler stopped (cancelled)')) - sentAt;
    console.log(
      `cancel through ${other.instance}, seen by the handler on ${creator.instance} after ${seenMs} ms (watch interval ${SETTINGS.watchIntervalMs} ms)`,
    );
    expect(seenMs).toBeLessThanOrEqual(SETTINGS.watchIntervalMs + MARGIN_MS);
    expect((await through(creator, 'tasks/get', () => controller.snapshot())).status).toBe(
      'cancelled',
    );
  });

  it('reads the task of a worker killed with SIGKILL failed (lease lost, -32603) from the survivor within the lease bound', async () => {
    const { controller, creator } = await create('generate_report', {
      topic: 'killed mid-way',
      steps: 100,
    });
    await readUntil(
      () => controller.snapshot(),
      (task) => /^step [2-9]\d* of 100/.test(task.statusMessage ?? ''),
    );
    const killedAt = performance.now();
    creator.kill('SIGKILL');
    await creator.exited;
    const requestsBefore = proxy.requests.length;
    const failed = await readUntil(
      () => controller.snapshot(),
      (task) => task.status !== 'working',
    );
    const readMs = Math.round(performance.now() - killedAt);
    console.log(
      `SIGKILL of ${creator.instance}: the survivor read the task failed after ${readMs} ms (lease ${SETTINGS.leaseMs} ms, renewed every ${SETTINGS.renewEveryMs} ms)`,
    );
    expect(failed.status).toBe('failed');
    expect(failed.raw.error).toMatchObject({
      code: -32603,
      message: expect.stringContaining(`worker '${creator.instance}' stopped renewing its lease`),
    });
    expect(readMs).toBeLessThanOrEqual(SETTINGS.leaseMs + SETTINGS.watchIntervalMs + MARGIN_MS);
    const after = proxy.requests.slice(requestsBefore);
    expect(after.every((request) => request.target !== creator.instance)).toBe(true);
    expect(after.some((request) => request.refusedBy.includes(creator.instance))).toBe(true);
  });
});
