import { afterEach, describe, expect, it } from 'vitest';
import { startTasksApp, type TasksApp } from '../../src/2026-07-28/app.js';
import {
  problemsOf,
  runTasksDemoStory,
  type TasksDemoOutcome,
} from '../../src/2026-07-28/demo-story.js';
import { Printer } from '../../src/print.js';

describe('the 2026-07-28 demo', () => {
  let app: TasksApp | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('runs its story against the in-memory server with the official client, exactly as expected', async () => {
    const serverLog: string[] = [];
    app = await startTasksApp({
      port: 0,
      backend: 'memory',
      table: 'unused',
      executor: 'inline',
      instance: 'main',
      leaseMs: 3_000,
      renewEveryMs: 1_000,
      watchIntervalMs: 20,
      pollIntervalMs: 20,
      stepMs: 50,
      log: (line) => serverLog.push(line),
    });
    expect(app.url.hostname).toBe('127.0.0.1');
    const lines: string[] = [];
    const outcome = await runTasksDemoStory(app.url, new Printer((line) => lines.push(line)));
    expect(problemsOf(outcome)).toEqual([]);
    expect(outcome.runs.map((run) => [run.label, run.status, run.isError])).toEqual([
      ['report', 'completed', false],
      ['import', 'failed', false],
      ['lookup', 'completed', true],
      ['cleanup', 'completed', false],
      ['archive', 'cancelled', false],
    ]);
    expect(outcome.runs.every((run) => run.instances.join() === 'main')).toBe(true);
    const story = lines.join('\n');
    expect(story).toMatch(/\[report {2}\] working: step \d of 5: .* \(instance main\)/);
    expect(story).toContain(
      '[import  ] failed with JSON-RPC error -32000: Import failed: the orders API answered 503 Service Unavailable',
    );
    expect(story).toContain(
      '[lookup  ] completed, result (isError: true): No customer with id c-404',
    );
    expect(story).toContain(
      '[cleanup ] input requested: "Delete 3 temporary files in /tmp/demo?" → alice answers yes (tasks/update)',
    );
    expect(story).toContain('[cleanup ] input_required: waiting for confirmation');
    expect(story).toContain('[archive ] cancelled');
    expect(story).toContain(
      '[report  ] completed, result: Report on Q3 sales: 5 sections, all figures checked.',
    );
    const cleanup = outcome.runs.find((run) => run.label === 'cleanup')?.taskId;
    const archive = outcome.runs.find((run) => run.label === 'archive')?.taskId;
    expect(serverLog).toContain(`task ${String(cleanup)}: input received (confirm: true)`);
    expect(serverLog).toContain(`task ${String(archive)}: handler stopped (cancelled)`);
    expect(serverLog.filter((line) => !/^task \w+: /.test(line))).toEqual([]);
  });

  it('finds problems in an outcome that went wrong', () => {
    const outcome: TasksDemoOutcome = {
      runs: [
        { label: 'report', taskId: 'a' as never, status: 'failed', isError: false, instances: [] },
        {
          label: 'lookup',
          taskId: 'b' as never,
          status: 'completed',
          isError: false,
          instances: [],
        },
        {
          label: 'import',
          taskId: 'c' as never,
          status: 'failed',
          isError: false,
          error: { code: -32603, message: 'lost' },
          instances: [],
        },
      ],
      questions: [],
      otherUserLookupCode: undefined,
      withoutExtensionCode: -32600,
      withoutExtensionInline: false,
    };
    expect(problemsOf(outcome)).toEqual([
      'report ended failed, not completed',
      "lookup's result has isError false",
      'import failed with -32603, not -32000',
      '0 questions asked, not 1',
      "bob's lookup answered undefined, not -32602",
      'a client without the extension got -32600, not -32021',
      'lookup_customer did not run inline',
    ]);
  });
});
