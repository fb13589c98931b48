import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { runEndpoint } from './support/run-endpoint.js';

const EXAMPLE_DIRECTORY = path.resolve(__dirname, '../../examples/mcp-server');

describe('pnpm demo -- --backend dynamodb', () => {
  it('tells the whole story on DynamoDB Local, found as the integration suite finds it, and exits 0', async () => {
    const table = `demo-${Date.now().toString(36)}`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/demo.ts', '--backend', 'dynamodb', '--table', table],
      {
        cwd: EXAMPLE_DIRECTORY,
        env: {
          ...process.env,
          DYNAMODB_ENDPOINT: runEndpoint(),
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        },
        timeout: 90_000,
      },
    );
    expect(stdout).toContain(`DynamoDB table ${table} at ${runEndpoint()}`);
    expect(stdout).toContain('4 created: 2 completed, 1 failed, 1 cancelled');
    expect(stdout).toContain('1 question answered while its task was input_required');
    expect(stdout).toMatch(/\[report {2}\] result: Report on Q3 sales/);
  }, 120_000);
});
