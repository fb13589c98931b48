import type { ChildProcess } from 'node:child_process';

/** How long a process gets to exit after SIGTERM before it is killed. */
const GRACE_MS = 5_000;

/**
 * Ends `child` by its pid: SIGTERM, then SIGKILL if it has not exited after 5 s; resolves once it
 * has exited (`exited` resolves on its `exit` event). A process that already exited is left alone.
 */
export async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), GRACE_MS);
  await exited;
  clearTimeout(killer);
}
