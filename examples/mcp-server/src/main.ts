import { Command, Option } from 'commander';
import { startDemoApp } from './app.js';
import {
  addSharedOptions,
  cliArguments,
  nonNegativeInteger,
  type SharedCliOptions,
  silenceAwsNodeVersionNotice,
} from './cli-options.js';

const program = addSharedOptions(
  new Command('tasks-demo-server').description(
    'An MCP server over Streamable HTTP on 127.0.0.1 whose tools run as durable tasks.',
  ),
).addOption(
  new Option('--port <port>', 'port on 127.0.0.1 (0: any free port)')
    .env('PORT')
    .argParser(nonNegativeInteger)
    .default(3000),
);

silenceAwsNodeVersionNotice();
const options = program.parse(cliArguments()).opts<SharedCliOptions & { port: number }>();
const log = (line: string) => console.log(line);
const app = await startDemoApp({ ...options, pollIntervalMs: 500, log }).catch((error: unknown) => {
  console.error(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
log(`MCP server listening on ${app.url.href} (storage: ${app.storage})`);

const stop = async (signal: string) => {
  log(`${signal}: stopping`);
  await app.close();
  process.exit(0);
};
process.once('SIGINT', (signal) => void stop(signal));
process.once('SIGTERM', (signal) => void stop(signal));
