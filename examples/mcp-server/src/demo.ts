import { Command } from 'commander';
import { type DemoApp, startDemoApp } from './app.js';
import {
  addSharedOptions,
  cliArguments,
  type SharedCliOptions,
  silenceAwsNodeVersionNotice,
} from './cli-options.js';
import { printSummary, problemsOf, runDemoStory } from './demo-story.js';
import { Printer } from './print.js';

/** The demo gives up (exit code 1) if it has not finished by then. */
const DEADLINE_MS = 120_000;

const program = addSharedOptions(
  new Command('tasks-demo').description(
    'Starts the demo MCP server on 127.0.0.1, drives it with the SDK client and prints what happens.',
  ),
);
silenceAwsNodeVersionNotice();
const options = program.parse(cliArguments()).opts<SharedCliOptions>();
const print = new Printer();
const deadline = setTimeout(() => {
  console.error(`The demo did not finish within ${DEADLINE_MS / 1000} s.`);
  process.exit(1);
}, DEADLINE_MS);
deadline.unref();

let app: DemoApp | undefined;
try {
  print.heading(`Starting the MCP server (backend: ${options.backend})`);
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
  const problems = problemsOf(outcome);
  if (problems.length > 0)
    throw new Error(`the demo did not go as expected:\n  ${problems.join('\n  ')}`);
  await app.close();
  print.line('server', 'stopped');
  process.exit(0);
} catch (error) {
  console.error(`\nDemo failed: ${error instanceof Error ? error.message : String(error)}`);
  await app?.close().catch(() => undefined);
  process.exit(1);
}
