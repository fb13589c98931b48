import { resultFromTaskOutcome } from '@modelcontextprotocol/ext-tasks/client';
import { connectTasksClient, type TasksClient } from '@tasks/example-mcp-server/client';
import { type ServerProcess, startServerProcess } from '@tasks/example-mcp-server/instances';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestTable, type TestTable } from '../src/index.js';
import { loggedAt } from './support/server-log.js';

describe('an executor that hands each task to a separate worker process', () => {
  let table: TestTable;
  let server: ServerProcess;
  let alice: TasksClient;
  const questions: string[] = [];

  beforeAll(async () => {
    table = await createTestTable(inject('dynamoDbEndpoint'), { label: 'mcp-worker' });
    server = await startServerProcess({
      instance: 'E',
      executor: 'worker',
      endpoint: inject('dynamoDbEndpoint'),
      table: table.tableName,
      leaseMs: 3_000,
      renewEveryMs: 1_000,
      watchIntervalMs: 200,
      pollIntervalMs: 100,
      stepMs: 100,
    });
    alice = await connectTasksClient(server.url, 'alice', async (request) => {
      questions.push(String(request.params?.message));
      return { action: 'accept', content: { confirm: true } } as never;
    });
  });

  afterAll(async () => {
    await alice?.close();
    await server?.stop();
    await table?.drop();
  });

  /** The worker's process id, from the server's line announcing it. */
  function workerPid(): number {
    const match = /worker process (\d+) runs the tasks of this instance/.exec(server.output());
    return Number(match?.[1]);
  }

  it('runs the handler in the worker (a process of its own) and the client gets the result through the server', async () => {
    expect(workerPid()).toBeGreaterThan(0);
    expect(workerPid()).not.toBe(server.pid);
    const execution = await alice.session.callTool('generate_report', { topic: 'jobs', steps: 3 });
    if (execution.kind !== 'task') throw new Error('expected a task');
    const messages: string[] = [];
    const { outcome } = await execution.settle({
      onEvent: (event) => {
        if (event.type === 'task' && event.task.statusMessage !== undefined) {
          messages.push(event.task.statusMessage);
        }
      },
    });
    expect(resultFromTaskOutcome(outcome)).toMatchObject({
      content: [{ type: 'text', text: 'Report on jobs: 3 sections, all figures checked.' }],
    });
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.every((message) => message.endsWith('(instance E-worker)'))).toBe(true);
    await loggedAt(
      { instance: 'E-worker', output: () => server.output() },
      execution.handle.taskId,
      'job received from the server',
    );
  });

  it('carries a question and its answer between the client, the server and the worker', async () => {
    const execution = await alice.session.callTool('cleanup_workspace', { path: '/var/tmp' });
    if (execution.kind !== 'task') throw new Error('expected a task');
    const { outcome } = await execution.settle();
    expect(resultFromTaskOutcome(outcome)).toMatchObject({
      content: [{ type: 'text', text: 'Deleted 3 temporary files in /var/tmp.' }],
    });
    expect(questions).toEqual(['Delete 3 temporary files in /var/tmp?']);
    const line = server
      .output()
      .split('\n')
      .find((candidate) =>
        candidate.endsWith(`task ${execution.handle.taskId}: input received (confirm: true)`),
      );
    expect(line).toContain('[E-worker]');
  });
});
