import type { SharedCliOptions } from '../cli-options.js';
import { type Printer, shortenTaskIds } from '../print.js';
import { startTasksApp, type TasksApp } from './app.js';
import { printTasksSummary, problemsOf, runTasksDemoStory } from './demo-story.js';
import type { RuntimeSettings } from './runtime.js';

/**
 * The demo's task settings, short so it runs in seconds: a lease of 3 s renewed every second,
 * handlers that read their task every 200 ms, clients told to poll every 250 ms.
 */
export const DEMO_SETTINGS: Omit<RuntimeSettings, 'instance' | 'stepMs'> = {
  leaseMs: 3_000,
  renewEveryMs: 1_000,
  watchIntervalMs: 200,
  pollIntervalMs: 250,
};

/**
 * The 2026-07-28 demo in one process: starts the server (SDK 2.x, the tasks extension, stateless)
 * on 127.0.0.1, drives it with the official client, prints the story and its summary, and stops
 * the server. Resolves with what went wrong (nothing when the story went as expected).
 */
export async function runTasksDemo(options: SharedCliOptions, print: Printer): Promise<string[]> {
  let app: TasksApp | undefined;
  try {
    print.heading(`Starting the MCP server (protocol 2026-07-28, backend: ${options.backend})`);
    app = await startTasksApp({
      ...options,
      ...DEMO_SETTINGS,
      port: 0,
      instance: 'main',
      executor: 'inline',
      log: (line) => print.line('server', shortenTaskIds(line)),
    });
    print.line('server', `listening on ${app.url.href}`);
    print.line('server', `storage: ${app.storage}`);
    const outcome = await runTasksDemoStory(app.url, print);
    print.heading('Summary');
    print.detail('protocol     2026-07-28, the tasks extension, driven by the official client');
    print.detail(`storage      ${app.storage}`);
    printTasksSummary(outcome, print);
    print.detail(`time         ${print.elapsedSeconds().toFixed(1)} s`);
    return problemsOf(outcome);
  } finally {
    await app?.close();
    if (app !== undefined) print.line('server', 'stopped');
  }
}
