import { afterEach, describe, expect, it } from '@jest/globals';
import { type DemoApp, startDemoApp } from '../../src/2025-11-25/app.js';
import { problemsOf, runDemoStory } from '../../src/2025-11-25/demo-story.js';
import { Printer } from '../../src/print.js';

describe('the demo', () => {
  let app: DemoApp | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('runs its story against the in-memory server exactly as expected', async () => {
    const serverLog: string[] = [];
    app = await startDemoApp({
      port: 0,
      backend: 'memory',
      table: 'unused',
      stepMs: 50,
      pollIntervalMs: 10,
      log: (line) => serverLog.push(line),
    });
    expect(app.url.hostname).toBe('127.0.0.1');
    const lines: string[] = [];
    const outcome = await runDemoStory(app.url, new Printer((line) => lines.push(line)));
    expect(problemsOf(outcome)).toEqual([]);
    expect(outcome.runs.map((run) => [run.label, run.status])).toEqual([
      ['report', 'completed'],
      ['import', 'failed'],
      ['cleanup', 'completed'],
      ['archive', 'cancelled'],
    ]);
    const story = lines.join('\n');
    expect(story).toMatch(/\[report {2}\] working: step \d of 5: /);
    expect(story).toContain('[cleanup ] input_required: waiting for confirmation');
    expect(story).toContain(
      '[import  ] error result: Import failed: the orders API answered 503 Service Unavailable',
    );
    expect(story).toContain(
      '[report  ] result: Report on Q3 sales: 5 sections, all figures checked.',
    );
    expect(serverLog).toEqual([]);
  });

  it('finds problems in an outcome that went wrong', () => {
    const outcome = {
      runs: [{ label: 'report', taskId: 'a', status: 'failed' as const }],
      listed: [],
      questions: [],
      secondSessionSees: 0,
      otherUserSees: 1,
      otherUserLookupCode: undefined,
    };
    expect(problemsOf(outcome)).toEqual([
      'report ended failed, not completed',
      'tasks/list returned 0 tasks, not the 1 created',
      '0 questions asked, not 1',
      'a second session of alice sees 0 tasks',
      "bob sees 1 of alice's tasks",
      "bob's lookup of alice's task answered undefined, not -32602",
    ]);
  });
});
