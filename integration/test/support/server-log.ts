import { setTimeout as delay } from 'node:timers/promises';

/** What a server process of the example wrote so far. */
interface Logged {
  /** Its instance name. */
  instance: string;
  /** Everything it wrote (stdout and stderr). */
  output(): string;
}

/**
 * The time (epoch ms) at which `server` logged `task <taskId>: <event>`: its lines start with the
 * ISO time they were written, so a test can measure how soon a handler saw something done on
 * another instance. Waits up to `timeoutMs` for the line.
 */
export async function loggedAt(
  server: Logged,
  taskId: string,
  event: string,
  timeoutMs = 10_000,
): Promise<number> {
  const wanted = `task ${taskId}: ${event}`;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const line = server
      .output()
      .split('\n')
      .find((candidate) => candidate.endsWith(wanted));
    if (line !== undefined) return Date.parse(line.slice(0, line.indexOf(' ')));
    if (performance.now() > deadline) {
      throw new Error(`instance ${server.instance} never logged "${wanted}":\n${server.output()}`);
    }
    await delay(20);
  }
}
