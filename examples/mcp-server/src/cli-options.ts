import { type Command, InvalidArgumentError, Option } from 'commander';
import { BACKEND_KINDS, type BackendKind } from './storage.js';

/** The protocol generations the example serves: the tasks extension, or tasks in the core protocol. */
export const PROTOCOLS = ['2026-07-28', '2025-11-25'] as const;

/** One of `PROTOCOLS`. */
export type Protocol = (typeof PROTOCOLS)[number];

/** The storage and pacing options the server and the demo share. */
export interface SharedCliOptions {
  /** `--protocol`: which generation is served (default 2026-07-28). */
  protocol: Protocol;
  /** `--backend`: where tasks are stored. */
  backend: BackendKind;
  /** `--endpoint`: the DynamoDB endpoint; without one, DynamoDB Local is started. */
  endpoint?: string;
  /** `--table`: the DynamoDB table, created when missing. */
  table: string;
  /** `--region`: the AWS region of an AWS endpoint. */
  region?: string;
  /** `--step-ms`: how long each step of the slow tool takes. */
  stepMs: number;
}

/** Adds `--protocol`, `--backend`, `--endpoint`, `--table`, `--region` and `--step-ms` to `command`. */
export function addSharedOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--protocol <version>', 'MCP protocol generation to serve')
        .choices(PROTOCOLS)
        .default('2026-07-28'),
    )
    .addOption(
      new Option('--backend <kind>', 'where tasks are stored')
        .choices(BACKEND_KINDS)
        .default('memory'),
    )
    .addOption(
      new Option(
        '--endpoint <url>',
        'DynamoDB endpoint (default: start DynamoDB Local for the run)',
      ).env('DYNAMODB_ENDPOINT'),
    )
    .addOption(
      new Option('--table <name>', 'DynamoDB table, created when missing')
        .env('DYNAMODB_TABLE')
        .default('tasks-demo'),
    )
    .addOption(new Option('--region <region>', 'AWS region for an AWS endpoint').env('AWS_REGION'))
    .addOption(
      new Option('--step-ms <ms>', 'duration of one step of the tools’ work')
        .argParser(nonNegativeInteger)
        .default(800),
    );
}

/** Parses a port or duration: a non-negative integer. */
export function nonNegativeInteger(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed)) {
    throw new InvalidArgumentError('expected a non-negative integer');
  }
  return parsed;
}

/** Parses a duration that must not be zero: a positive integer. */
export function positiveInteger(value: string): number {
  const parsed = nonNegativeInteger(value);
  if (parsed === 0) throw new InvalidArgumentError('expected a positive integer');
  return parsed;
}

/**
 * `argv` without the `--` separators that `pnpm demo -- --backend dynamodb` passes through
 * (pnpm keeps them), so options after them still count as options. The CLIs take no operands.
 */
export function cliArguments(argv: readonly string[] = process.argv): string[] {
  return [...argv.slice(0, 2), ...argv.slice(2).filter((argument) => argument !== '--')];
}

/** Silences the AWS SDK's notice that its releases from 2027 need Node 22; Node 20.19+ is supported. */
export function silenceAwsNodeVersionNotice(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}
