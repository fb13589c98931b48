import { type Command, InvalidArgumentError, Option } from 'commander';
import { BACKEND_KINDS, type BackendKind } from './storage.js';

/** The storage and pacing options the server and the demo share. */
export interface SharedCliOptions {
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

/** Adds `--backend`, `--endpoint`, `--table`, `--region` and `--step-ms` to `command`. */
export function addSharedOptions(command: Command): Command {
  return command
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
