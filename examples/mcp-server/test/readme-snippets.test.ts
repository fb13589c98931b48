import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { transformSync } from '@swc/core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import * as serverModule from '@modelcontextprotocol/sdk/server/mcp.js';
import * as core from '@tasks/core';
import * as mcp from '@tasks/mcp/sdk-v1';
import * as dynamodb from '@tasks/dynamodb';
import { silenceAwsNodeVersionNotice } from '../src/cli-options.js';

const MODULES: Record<string, unknown> = {
  '@modelcontextprotocol/sdk/server/mcp.js': serverModule,
  '@tasks/core': core,
  '@tasks/mcp/sdk-v1': mcp,
  '@tasks/dynamodb': dynamodb,
};

/** The TypeScript blocks of the section of `readmePath` that starts with `heading`. */
function snippetsAfter(readmePath: string, heading: string): string[] {
  const readme = readFileSync(readmePath, 'utf8');
  const section = readme.slice(readme.indexOf(heading));
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

/** Runs a snippet with its imports taken from `MODULES`; returns the values of `names`. */
function run(snippet: string, names: string[]): Record<string, unknown> {
  const source = snippet.replace(
    /^import \{([^}]*)\} from '([^']+)';$/gm,
    (_line, imported: string, from: string) => `const {${imported}} = modules['${from}'];`,
  );
  const { code } = transformSync(
    `export default function run(modules) {\n${source}\nreturn { ${names.join(', ')} };\n}`,
    { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
  );
  const exported: { default?: (modules: Record<string, unknown>) => Record<string, unknown> } = {};
  new Function('exports', code)(exported);
  if (!exported.default) throw new Error('the snippet did not compile to a function');
  return exported.default(MODULES);
}

/** The READMEs that carry the section: this example's and the repository's front page. */
const READMES: Array<[string, string]> = [
  ['examples/mcp-server/README.md', join(__dirname, '..', 'README.md')],
  ['README.md (root)', join(__dirname, '..', '..', '..', 'README.md')],
];

describe.each(READMES)('%s: Use it in your MCP server', (_name, readmePath) => {
  const [memory, dynamo] = snippetsAfter(readmePath, '## Use it in your MCP server');

  it('builds a working task server from the in-memory snippet', async () => {
    const { server } = run(memory ?? '', ['server']);
    expect(server).toBeInstanceOf(serverModule.McpServer);
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await (server as serverModule.McpServer).connect(serverTransport);
    const client = new Client({ name: 'readme', version: '1.0.0' });
    await client.connect(clientTransport);
    expect(await client.experimental.tasks.listTasks()).toMatchObject({ tasks: [] });
    await client.close();
  });

  it('builds the store and the queue from the DynamoDB snippet', () => {
    silenceAwsNodeVersionNotice();
    const { backend, taskStore, taskMessageQueue } = run(dynamo ?? '', [
      'backend',
      'taskStore',
      'taskMessageQueue',
    ]);
    expect(backend).toBeInstanceOf(dynamodb.DynamoDbBackend);
    expect(taskStore).toBeInstanceOf(mcp.McpTaskStore);
    expect(taskMessageQueue).toBeInstanceOf(mcp.McpTaskMessageQueue);
    (backend as dynamodb.DynamoDbBackend).destroy();
  });
});
