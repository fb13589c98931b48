import type { TaskJob } from '@tasks/mcp';
import { silenceAwsNodeVersionNotice } from '../cli-options.js';
import { openStorage } from '../storage.js';
import { createTasksRuntime, instanceLog } from './runtime.js';
import type { WorkerMessage, WorkerSettings } from './worker-process.js';

/**
 * A worker process (forked by `startWorkerProcess`): runs each job its parent sends with
 * `McpTasksServer.execute(job)` on the shared table, and exits when its parent goes away.
 */
silenceAwsNodeVersionNotice();
const settings = JSON.parse(process.argv[2] ?? '{}') as WorkerSettings;
const log = instanceLog(settings.instance);
const send = (message: WorkerMessage) => process.send?.(message);

try {
  const storage = await openStorage({ ...settings, backend: 'dynamodb', log });
  const tasks = createTasksRuntime(storage.store, settings, log);
  process.on('message', (job: TaskJob) => {
    log(`task ${job.taskId}: job received from the server`);
    void tasks.execute(job);
  });
  const stop = () => {
    void storage.close().finally(() => process.exit(0));
  };
  process.once('disconnect', stop);
  process.once('SIGTERM', stop);
  send({ type: 'ready' });
} catch (error) {
  send({ type: 'failed', error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
