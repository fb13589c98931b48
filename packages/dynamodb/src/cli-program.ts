import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { buildDynamoDbClient } from './client.js';
import { errorNameOf } from './errors.js';
import { EXPIRES_AT_ATTRIBUTE } from './item.js';
import { checkOf, checkTable, type TableCheck } from './table-check.js';
import { type BillingMode, createTable } from './table-create.js';
import { DEFAULT_TABLE_NAME } from './table-name.js';
import { UnusableTableError } from './unusable-table-error.js';

/** The variable that sets `--request-timeout` when the flag is not given. */
export const REQUEST_TIMEOUT_VARIABLE = 'TASKS_DYNAMODB_REQUEST_TIMEOUT_MS';
/** Time limit of one request attempt, connecting included, when neither flag nor variable sets one. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
/**
 * Attempts per request, the first included. Set explicitly so that `AWS_MAX_ATTEMPTS` or a profile
 * cannot raise it: a request fails within `MAX_ATTEMPTS` × the request timeout plus the SDK's backoff.
 */
export const MAX_ATTEMPTS = 3;

/** Where the CLI writes: `process.stdout`/`process.stderr`, or buffers in tests. */
export interface CliOutput {
  /** Results. */
  stdout: { write(text: string): unknown };
  /** Problems, errors and usage messages. */
  stderr: { write(text: string): unknown };
}

interface ConnectionFlags {
  table: string;
  region?: string;
  endpoint?: string;
  requestTimeout: number;
}

interface CreateTableFlags extends ConnectionFlags {
  billingMode: BillingMode;
  readCapacity?: number;
  writeCapacity?: number;
}

/**
 * Runs `tasks-dynamodb` with `args` (the arguments after the script name) and resolves to the exit
 * code: 0 on success, 1 when the table has problems, a command fails or the usage is wrong.
 */
export async function runCli(args: readonly string[], output: CliOutput): Promise<number> {
  let exitCode = 0;
  const program = new Command('tasks-dynamodb')
    .description('Create and check the DynamoDB table of @tasks/dynamodb.')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => output.stdout.write(text),
      writeErr: (text) => output.stderr.write(text),
    });

  withConnectionFlags(
    program
      .command('create-table')
      .description(
        `Create the table (PK/SK strings) if missing, wait until ACTIVE, enable TTL on ${EXPIRES_AT_ATTRIBUTE}; change nothing on an existing table it cannot use.`,
      ),
  )
    .addOption(
      new Option('--billing-mode <mode>', 'billing mode')
        .choices(['PAY_PER_REQUEST', 'PROVISIONED'])
        .default('PAY_PER_REQUEST'),
    )
    .option('--read-capacity <units>', 'read capacity units (PROVISIONED only)', positiveInteger)
    .option('--write-capacity <units>', 'write capacity units (PROVISIONED only)', positiveInteger)
    .action(async (flags: CreateTableFlags) => {
      exitCode = await withClient(flags, output, (client) => runCreateTable(client, flags, output));
    });

  withConnectionFlags(
    program
      .command('check-table')
      .description(`Check the key schema (PK/SK strings) and TTL on ${EXPIRES_AT_ATTRIBUTE}.`),
  ).action(async (flags: ConnectionFlags) => {
    exitCode = await withClient(flags, output, async (client) =>
      report(await checkTable(client, flags.table), output),
    );
  });

  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
  return exitCode;
}

async function runCreateTable(
  client: DynamoDBClient,
  flags: CreateTableFlags,
  output: CliOutput,
): Promise<number> {
  try {
    const result = await createTable(client, {
      tableName: flags.table,
      billingMode: flags.billingMode,
      ...(flags.readCapacity === undefined ? {} : { readCapacityUnits: flags.readCapacity }),
      ...(flags.writeCapacity === undefined ? {} : { writeCapacityUnits: flags.writeCapacity }),
    });
    output.stdout.write(
      `${result.created ? 'Created' : 'Found existing'} table '${result.tableName}'.\n`,
    );
    if (result.ttlUpdated) {
      output.stdout.write(`Enabled time to live on '${EXPIRES_AT_ATTRIBUTE}'.\n`);
    }
    return report(result, output);
  } catch (error) {
    if (!(error instanceof UnusableTableError)) throw error;
    report(checkOf(error.tableName, [...error.problems]), output);
    output.stderr.write(
      'Nothing was changed: create-table does not touch an existing table it cannot use.\n',
    );
    return 1;
  }
}

function withConnectionFlags(command: Command): Command {
  return command
    .option('--table <name>', 'table name', DEFAULT_TABLE_NAME)
    .option('--region <region>', 'AWS region (default: the SDK region chain, e.g. AWS_REGION)')
    .option('--endpoint <url>', 'endpoint URL, e.g. http://127.0.0.1:8000 for DynamoDB Local')
    .addOption(
      new Option(
        '--request-timeout <ms>',
        `time limit of one request attempt, connecting included; ${MAX_ATTEMPTS} attempts at most`,
      )
        .env(REQUEST_TIMEOUT_VARIABLE)
        .default(DEFAULT_REQUEST_TIMEOUT_MS)
        .argParser(timerMilliseconds),
    );
}

async function withClient(
  flags: ConnectionFlags,
  output: CliOutput,
  run: (client: DynamoDBClient) => Promise<number>,
): Promise<number> {
  const client = buildDynamoDbClient({
    ...(flags.region === undefined ? {} : { region: flags.region }),
    ...(flags.endpoint === undefined ? {} : { endpoint: flags.endpoint }),
    maxAttempts: MAX_ATTEMPTS,
    requestTimeoutMs: flags.requestTimeout,
  });
  try {
    return await run(client);
  } catch (error) {
    output.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (errorNameOf(error instanceof Error ? error.cause : undefined) === 'TimeoutError') {
      output.stderr.write(
        `The endpoint did not answer within the request timeout of ${flags.requestTimeout} ms; raise --request-timeout or ${REQUEST_TIMEOUT_VARIABLE} for a slow endpoint.\n`,
      );
    }
    return 1;
  } finally {
    client.destroy();
  }
}

function report(check: TableCheck, output: CliOutput): number {
  if (check.ok) {
    output.stdout.write(
      `Table '${check.tableName}' is ready: PK/SK strings, time to live on '${EXPIRES_AT_ATTRIBUTE}'.\n`,
    );
    return 0;
  }
  output.stderr.write(
    `Table '${check.tableName}' has problems:\n${check.problems.map((problem) => `  - ${problem}\n`).join('')}`,
  );
  return 1;
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw new InvalidArgumentError('must be a positive integer');
  }
  return parsed;
}

/** Node timers take at most 2^31 - 1 ms; a longer delay silently becomes 1 ms. */
const MAX_TIMER_MS = 2_147_483_647;

function timerMilliseconds(value: string): number {
  const parsed = positiveInteger(value);
  if (parsed > MAX_TIMER_MS) {
    throw new InvalidArgumentError(`must be at most ${MAX_TIMER_MS} ms`);
  }
  return parsed;
}
