import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as sdk from '@aws-sdk/client-dynamodb';
import * as jestGlobals from '@jest/globals';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { transformSync } from '@swc/core';
import * as core from '@tasks/core';
import * as coreJest from '@tasks/core/testing/jest';
import * as dynamodb from '@tasks/dynamodb';
import { dynamoDbClientConfig } from '@tasks/dynamodb-local';
import ts from 'typescript';
import { createDynamoDbClients } from '../src/index.js';
import { runEndpoint } from './support/run-endpoint.js';

/**
 * Every TypeScript block of packages/dynamodb/README.md, type-checked as a file of this package
 * and run against the run's DynamoDB Local. A block runs as written but for the names that would
 * leave this file's tables: the table names `'tasks'` and `'tasks-conformance'` become random
 * tables of this file, `DynamoDbBackend`'s default table is the first of them, DynamoDB Local's
 * address `'http://127.0.0.1:8000'` becomes the run's endpoint and `'eu-west-1'` its region. The environment is the one the
 * README has its reader export: a region, dummy credentials and `AWS_ENDPOINT_URL_DYNAMODB`.
 */
const README_PATH = path.join(__dirname, '..', '..', 'packages', 'dynamodb', 'README.md');

/** One TypeScript block of the README and the heading of its section. */
interface Block {
  heading: string;
  code: string;
}

/** The README's TypeScript blocks, in order. */
function readmeBlocks(): Block[] {
  const blocks: Block[] = [];
  let heading = '';
  const readme = readFileSync(README_PATH, 'utf8');
  for (const match of readme.matchAll(/^(#{1,6} .*)$|^```ts\n([\s\S]*?)^```$/gm)) {
    if (match[1] !== undefined) heading = match[1];
    else blocks.push({ heading, code: match[2] ?? '' });
  }
  return blocks;
}

const BLOCKS = readmeBlocks();

/** The blocks of the section `heading`, in order. */
function blocksOf(heading: string): string[] {
  return BLOCKS.filter((block) => block.heading === heading).map((block) => block.code);
}

const endpoint = runEndpoint();
/** Clients of this file's own, for setting up and checking what the blocks did. */
const clients = createDynamoDbClients(endpoint);

// What the README has its reader export (jest gives each test file its own copy of process.env).
const { region, credentials } = dynamoDbClientConfig(endpoint);
process.env.AWS_REGION = region;
process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoint;
if (credentials) {
  process.env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
}

const suffix = randomBytes(6).toString('hex');
/** This file's table for the README's `'tasks'`. */
const TABLE = `tasks-it-readme-${suffix}`;
/** A table `createTable` must refuse: a partition key only. */
const UNUSABLE_TABLE = `tasks-it-readme-unusable-${suffix}`;
/** This file's table for the README's `'tasks-conformance'`. */
const CONFORMANCE_TABLE = `tasks-it-readme-conformance-${suffix}`;

/** `code` pointed at this file's tables (`tasks` standing for `table`), endpoint and region. */
function localized(code: string, table = TABLE): string {
  return code
    .replaceAll("'http://127.0.0.1:8000'", JSON.stringify(endpoint))
    .replaceAll("'eu-west-1'", JSON.stringify(region))
    .replaceAll("'tasks-conformance'", JSON.stringify(CONFORMANCE_TABLE))
    .replaceAll("'tasks'", JSON.stringify(table));
}

/** Every `DynamoDbBackend` the blocks built, destroyed after the file. */
const backends: dynamodb.DynamoDbBackend[] = [];

/** `DynamoDbBackend` with this file's table as its default table. */
class LocalDynamoDbBackend extends dynamodb.DynamoDbBackend {
  constructor(options: dynamodb.DynamoDbBackendOptions = {}) {
    super({ tableName: TABLE, ...options });
    backends.push(this);
  }
}

/** The modules the blocks may import. */
const MODULES: Record<string, unknown> = {
  '@aws-sdk/client-dynamodb': sdk,
  '@jest/globals': jestGlobals,
  '@tasks/core': core,
  '@tasks/core/testing/jest': coreJest,
  '@tasks/dynamodb': { ...dynamodb, DynamoDbBackend: LocalDynamoDbBackend },
};

/**
 * Compiles `code` (TypeScript with named imports) into a function of its imports, taken from
 * `MODULES`, that returns the values of its top-level `names`. An `async` one allows top-level
 * `await`; a synchronous one registers jest hooks and tests at once, as a test file does.
 */
function compile(code: string, names: string[], isAsync: boolean): (modules: unknown) => unknown {
  const source = code.replace(
    /^import (type )?\{([^}]*)\} from '([^']+)';$/gm,
    (_line, typeOnly: string | undefined, imported: string, from: string) => {
      if (typeOnly) return '';
      if (!(from in MODULES)) throw new Error(`The block imports ${from}, which the test lacks`);
      const names = imported
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== '' && !name.startsWith('type '));
      return `const { ${names.join(', ')} } = modules[${JSON.stringify(from)}];`;
    },
  );
  const { code: compiled } = transformSync(
    `export default ${isAsync ? 'async ' : ''}function run(modules) {\n${source}\nreturn { ${names.join(', ')} };\n}`,
    { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
  );
  const exported: { default?: (modules: unknown) => unknown } = {};
  new Function('exports', compiled)(exported);
  if (!exported.default) throw new Error('The block did not compile to a function');
  return exported.default;
}

/** Runs `code` with top-level `await` allowed; resolves to the values of its top-level `names`. */
async function run(code: string, names: string[] = []): Promise<Record<string, unknown>> {
  return (await compile(code, names, true)(MODULES)) as Record<string, unknown>;
}

/** A `DynamoDbBackend` a block built, after checking it is one. */
function backendIn(values: Record<string, unknown>, name: string): dynamodb.DynamoDbBackend {
  const backend = values[name];
  expect(backend).toBeInstanceOf(dynamodb.DynamoDbBackend);
  return backend as dynamodb.DynamoDbBackend;
}

/** Writes through `backend` and reads it back through a backend on this file's table. */
async function expectRoundTrip(backend: dynamodb.DynamoDbBackend): Promise<void> {
  const key = `readme:${randomBytes(6).toString('hex')}`;
  const version = await backend.put(key, '{"written":true}');
  const reader = new dynamodb.DynamoDbBackend({ client: clients.documentClient, tableName: TABLE });
  expect(await reader.get(key)).toEqual({ data: '{"written":true}', version });
}

/** Type errors of `blocks` as files of this package, one line each. */
function typeErrorsOf(blocks: Block[]): string[] {
  const configPath = path.join(__dirname, '..', 'tsconfig.json');
  const config = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error(`Cannot read ${configPath}`);
  const files = new Map(
    blocks.map((block, index) => [path.join(__dirname, `readme-block-${index}.ts`), block.code]),
  );
  const host = ts.createCompilerHost(config.options);
  const { fileExists, getSourceFile, readFile } = host;
  host.fileExists = (name) => files.has(name) || fileExists(name);
  host.readFile = (name) => files.get(name) ?? readFile(name);
  host.getSourceFile = (name, language, ...rest) => {
    const text = files.get(name);
    return text === undefined
      ? getSourceFile(name, language, ...rest)
      : ts.createSourceFile(name, text, language);
  };
  const program = ts.createProgram([...files.keys()], config.options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    const index = Number(/readme-block-(\d+)\.ts$/.exec(diagnostic.file?.fileName ?? '')?.[1]);
    const line =
      diagnostic.file && diagnostic.start !== undefined
        ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1
        : 0;
    return `${BLOCKS[index]?.heading ?? diagnostic.file?.fileName} block line ${line}: ${message}`;
  });
}

beforeAll(async () => {
  // "Create the table once", as the quick start says.
  const created = await dynamodb.createTable(clients.client, {
    tableName: TABLE,
    pollIntervalMs: 200,
    maxPolls: 600,
  });
  if (!created.ok) throw new Error(created.problems.join('; '));
  await clients.client.send(
    new sdk.CreateTableCommand({
      TableName: UNUSABLE_TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }),
  );
});

afterAll(async () => {
  for (const backend of backends) backend.destroy();
  try {
    for (const TableName of [TABLE, UNUSABLE_TABLE, CONFORMANCE_TABLE]) {
      await clients.client
        .send(new sdk.DeleteTableCommand({ TableName }))
        .catch((error: unknown) => {
          if (!(error instanceof sdk.ResourceNotFoundException)) throw error;
        });
    }
  } finally {
    clients.client.destroy();
  }
});

describe('packages/dynamodb/README.md', () => {
  it('has the TypeScript blocks this file runs, and no other', () => {
    expect(BLOCKS.map((block) => block.heading)).toEqual([
      '## Quick start',
      '## Quick start',
      '## Constructing the backend',
      '### Retries, timeouts and throttling',
      '### Retries, timeouts and throttling',
      '## Table tooling',
      '## Table tooling',
      '## Conformance',
    ]);
  });

  it('type-checks every block', () => {
    expect(typeErrorsOf(BLOCKS)).toEqual([]);
  });

  describe('## Quick start', () => {
    const [quickStart, local] = blocksOf('## Quick start');

    it('stores a task and prints it, then reads it through DynamoDB Local at its address', async () => {
      const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
      let task: core.Task;
      try {
        ({ task } = (await run(localized(quickStart ?? ''), ['task'])) as { task: core.Task });
        expect(log).toHaveBeenCalledWith(task);
      } finally {
        log.mockRestore();
      }
      expect(task).toMatchObject({ status: 'working', ttl: 60_000 });

      const backend = backendIn(await run(localized(local ?? ''), ['backend']), 'backend');
      expect(await new core.GenericTaskStore({ backend }).get('alice', task.taskId)).toEqual(task);
    });
  });

  describe('## Constructing the backend', () => {
    const [constructing] = blocksOf('## Constructing the backend');

    it('builds a backend on a client and one on its own client, both working', async () => {
      const values = await run(localized(constructing ?? ''), [
        'client',
        'onYourClient',
        'onItsOwnClient',
      ]);
      await expectRoundTrip(backendIn(values, 'onYourClient'));
      await expectRoundTrip(backendIn(values, 'onItsOwnClient'));
      (values.client as sdk.DynamoDBClient).destroy();
    });
  });

  describe('### Retries, timeouts and throttling', () => {
    const [timeouts, adaptive] = blocksOf('### Retries, timeouts and throttling');

    it('builds a backend with a request timeout', async () => {
      await expectRoundTrip(
        backendIn(await run(localized(timeouts ?? ''), ['backend']), 'backend'),
      );
    });

    it('builds a backend on an adaptive client', async () => {
      const values = await run(localized(adaptive ?? ''), ['client', 'backend']);
      const client = values.client as sdk.DynamoDBClient;
      expect(await client.config.maxAttempts()).toBe(5);
      await expectRoundTrip(backendIn(values, 'backend'));
      client.destroy();
    });
  });

  describe('## Table tooling', () => {
    const [tooling, unusable] = blocksOf('## Table tooling');

    it('creates the table and checks it', async () => {
      const { check } = await run(localized(tooling ?? ''), ['check']);
      expect(check).toEqual({ tableName: TABLE, ok: true, problems: [] });
    });

    it('reports an unusable table and leaves it as it was', async () => {
      const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        await run(localized(unusable ?? ''));
        expect(error).not.toHaveBeenCalled();
        await run(localized(unusable ?? '', UNUSABLE_TABLE));
        expect(error).toHaveBeenCalledWith(
          `Table '${UNUSABLE_TABLE}' left as it was:`,
          expect.arrayContaining([expect.any(String)]),
        );
      } finally {
        error.mockRestore();
      }
      const ttl = await clients.client.send(
        new sdk.DescribeTimeToLiveCommand({ TableName: UNUSABLE_TABLE }),
      );
      expect(ttl.TimeToLiveDescription?.TimeToLiveStatus).toBe('DISABLED');
    });
  });

  describe('## Conformance', () => {
    const [conformance] = blocksOf('## Conformance');
    // Run while jest collects this file, as a test file of its own would be.
    compile(localized(conformance ?? ''), [], false)(MODULES);
  });
});
