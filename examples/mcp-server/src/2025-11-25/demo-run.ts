import type { SharedCliOptions } from '../cli-options.js';
import type { Printer } from '../print.js';
import { type DemoApp, startDemoApp } from './app.js';
import { printSummary, problemsOf, runDemoStory } from './demo-story.js';

/**
 * The 2025-11-25 demo: starts the server (SDK 1.x, tasks in the core protocol, sessions) on
 * 127.0.0.1, drives it with the SDK 1.x client, prints the story and its summary, and stops the
 * server. Resolves with what went wrong (nothing when the story went as expected).
 */
export async function runSessionDemo(options: SharedCliOptions, print: Printer): Promise<string[]> {
  let app: DemoApp | undefined;
  try {
    print.heading(`Starting the MCP server (protocol 2025-11-25, backend: ${options.backend})`);
    app = await startDemoApp({
      ...options,
      port: 0,
      pollIntervalMs: 250,
      log: (line) => print.line('server', line),
    });
    print.line('server', `listening on ${app.url.href}`);
    print.line('server', `storage: ${app.storage}`);
    const outcome = await runDemoStory(app.url, print);
    printSummary(outcome, app.storage, print);
    return problemsOf(outcome);
  } finally {
    await app?.close();
    if (app !== undefined) print.line('server', 'stopped');
  }
}
