import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { spawnSupervised } from '../src/supervised-process.js';
import { closed, listenForConnections } from './support/connection-listener.js';

const PACKAGE_DIRECTORY = path.join(__dirname, '..');
const SUPERVISING_PARENT = path.join(__dirname, 'fixtures', 'supervising-parent.ts');
/** Starting Node processes (one through tsx) can take seconds on a loaded machine. */
const PROCESS_TEST_TIMEOUT_MS = 60_000;

/** Node code that connects to the listener on `port` and stays alive holding the connection. */
function holdConnection(port: number): string {
  return `require('node:net').connect(${port}, '127.0.0.1'); setInterval(() => {}, 60_000);`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('supervised processes (how no java outlives the run)', () => {
  it(
    'kill() resolves only once the supervised process is gone',
    async () => {
      const listener = await listenForConnections();
      try {
        const supervised = spawnSupervised(process.execPath, ['-e', holdConnection(listener.port)]);
        const connection = await listener.nextConnection();
        const pid = await supervised.childPid();
        expect(isAlive(pid)).toBe(true);
        await supervised.kill();
        expect(isAlive(pid)).toBe(false);
        await closed(connection);
        expect(supervised.exitReason()).toBeDefined();
      } finally {
        await listener.close();
      }
    },
    PROCESS_TEST_TIMEOUT_MS,
  );

  it(
    'ends the supervised process when the Node process that started it is killed with SIGKILL',
    async () => {
      const listener = await listenForConnections();
      const parent = spawn(
        process.execPath,
        ['--import', 'tsx', SUPERVISING_PARENT, String(listener.port)],
        { cwd: PACKAGE_DIRECTORY, stdio: 'ignore' },
      );
      try {
        const connection = await listener.nextConnection();
        const parentExited = new Promise((resolve) => parent.once('exit', resolve));
        parent.kill('SIGKILL');
        await parentExited;
        await closed(connection);
        expect(connection.destroyed).toBe(true);
      } finally {
        parent.kill('SIGKILL');
        await listener.close();
      }
    },
    PROCESS_TEST_TIMEOUT_MS,
  );
});
