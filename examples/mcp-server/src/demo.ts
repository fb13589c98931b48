import { Command, Option } from 'commander';
import { runSessionDemo } from './2025-11-25/demo-run.js';
import { runTasksDemo } from './2026-07-28/demo-run.js';
import { runInstancesDemo } from './2026-07-28/demo-instances.js';
import {
  addSharedOptions,
  cliArguments,
  positiveInteger,
  type SharedCliOptions,
  silenceAwsNodeVersionNotice,
} from './cli-options.js';
import { Printer } from './print.js';

/** The demo gives up (exit code 1) if it has not finished by then. */
const DEADLINE_MS = 150_000;

const program = addSharedOptions(
  new Command('tasks-demo').description(
    'Starts the demo MCP server on 127.0.0.1, drives it with the SDK client and prints what happens.',
  ),
).addOption(
  new Option(
    '--instances <count>',
    'server processes behind a round-robin proxy (2 needs --backend dynamodb; 2026-07-28)',
  )
    .argParser(positiveInteger)
    .default(1),
);
silenceAwsNodeVersionNotice();
const options = program.parse(cliArguments()).opts<SharedCliOptions & { instances: number }>();
const print = new Printer();
const deadline = setTimeout(() => {
  console.error(`The demo did not finish within ${DEADLINE_MS / 1000} s.`);
  process.exit(1);
}, DEADLINE_MS);
deadline.unref();

try {
  const problems = await run();
  if (problems.length > 0) {
    throw new Error(`the demo did not go as expected:\n  ${problems.join('\n  ')}`);
  }
  process.exit(0);
} catch (error) {
  console.error(`\nDemo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

function run(): Promise<string[]> {
  if (options.instances > 2) throw new Error('--instances is 1 or 2');
  if (options.protocol === '2025-11-25') {
    if (options.instances !== 1) throw new Error('--instances 2 is for --protocol 2026-07-28');
    return runSessionDemo(options, print);
  }
  if (options.instances === 1) return runTasksDemo(options, print);
  if (options.backend !== 'dynamodb') {
    throw new Error('--instances 2 needs --backend dynamodb: the instances share the table');
  }
  return runInstancesDemo(options, print);
}
