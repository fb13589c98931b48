import { Command, Option } from 'commander';
import { startDemoApp } from './2025-11-25/app.js';
import { EXECUTOR_KINDS, type ExecutorKind, startTasksApp } from './2026-07-28/app.js';
import { instanceLog } from './2026-07-28/runtime.js';
import {
  addSharedOptions,
  cliArguments,
  nonNegativeInteger,
  positiveInteger,
  type SharedCliOptions,
  silenceAwsNodeVersionNotice,
} from './cli-options.js';

/** The server's options: the shared ones, the port, and how 2026-07-28 tasks run. */
interface ServerCliOptions extends SharedCliOptions {
  port: number;
  instance: string;
  leaseMs: number;
  renewMs?: number;
  watchMs: number;
  pollMs: number;
  executor: ExecutorKind;
}

const program = addSharedOptions(
  new Command('tasks-demo-server').description(
    'An MCP server over Streamable HTTP on 127.0.0.1 whose tools run as durable tasks.',
  ),
)
  .addOption(
    new Option('--port <port>', 'port on 127.0.0.1 (0: any free port)')
      .env('PORT')
      .argParser(nonNegativeInteger)
      .default(3000),
  )
  .addOption(
    new Option('--instance <name>', "this process's name in worker leases (2026-07-28)").default(
      'main',
    ),
  )
  .addOption(
    new Option('--lease-ms <ms>', 'worker lease; a dead worker’s task fails after it (2026-07-28)')
      .argParser(positiveInteger)
      .default(30_000),
  )
  .addOption(
    new Option(
      '--renew-ms <ms>',
      'time between lease renewals (default: a third of the lease)',
    ).argParser(positiveInteger),
  )
  .addOption(
    new Option('--watch-ms <ms>', 'how often a running handler reads its task (2026-07-28)')
      .argParser(positiveInteger)
      .default(1_000),
  )
  .addOption(
    new Option('--poll-ms <ms>', 'poll interval the tasks suggest to clients')
      .argParser(positiveInteger)
      .default(500),
  )
  .addOption(
    new Option('--executor <kind>', 'where handlers run: here, or a forked worker (2026-07-28)')
      .choices(EXECUTOR_KINDS)
      .default('inline'),
  );

silenceAwsNodeVersionNotice();
const options = program.parse(cliArguments()).opts<ServerCliOptions>();
const log =
  options.protocol === '2026-07-28'
    ? instanceLog(options.instance)
    : (line: string) => console.log(line);
const app = await start().catch((error: unknown) => {
  console.error(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
log(
  `MCP server listening on ${app.url.href} (protocol ${options.protocol}, storage: ${app.storage})`,
);

const stop = async (signal: string) => {
  log(`${signal}: stopping`);
  await app.close();
  process.exit(0);
};
process.once('SIGINT', (signal) => void stop(signal));
process.once('SIGTERM', (signal) => void stop(signal));
// Started with an IPC channel (by the demo or a test): stop when the parent goes away, even killed.
if (process.connected) process.once('disconnect', () => void stop('parent gone'));

function start() {
  if (options.protocol === '2025-11-25') {
    return startDemoApp({ ...options, pollIntervalMs: options.pollMs, log });
  }
  return startTasksApp({
    ...options,
    renewEveryMs: options.renewMs ?? Math.max(1, Math.floor(options.leaseMs / 3)),
    watchIntervalMs: options.watchMs,
    pollIntervalMs: options.pollMs,
    log,
  });
}
