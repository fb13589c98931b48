/**
 * A worker process for the task-model tests: opens a `GenericTaskStore` on the test's DynamoDB
 * table, runs a `TaskRun` on one task and prints what it sees as JSON lines with the time
 * (`{"event":"started","at":...}`). Modes: `cancel` waits for its signal, `input` asks for input
 * and completes with the answer, `hold` keeps the lease renewed until it is killed. It exits when
 * its parent goes away (its IPC channel closes).
 */
import { GenericTaskStore, TaskRun } from '@tasks/core';
import { DynamoDbBackend } from '@tasks/dynamodb';
import { createDynamoDbClients } from '../../src/index.js';

/** What the test starts the worker with (JSON in argv[2]). */
export interface WorkerArguments {
  endpoint: string;
  tableName: string;
  owner: string;
  taskId: string;
  holder: string;
  mode: 'cancel' | 'input' | 'hold';
  leaseMs: number;
  renewEveryMs: number;
  pollIntervalMs: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as WorkerArguments;
const say = (event: string, detail: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ event, at: Date.now(), ...detail }));
process.once('disconnect', () => process.exit(0));

const { documentClient } = createDynamoDbClients(args.endpoint);
const store = new GenericTaskStore({
  backend: new DynamoDbBackend({ client: documentClient, tableName: args.tableName }),
});
const run = await TaskRun.start(store, args.owner, args.taskId, {
  holder: args.holder,
  leaseMs: args.leaseMs,
  renewEveryMs: args.renewEveryMs,
  pollIntervalMs: args.pollIntervalMs,
});
run.signal.addEventListener('abort', () => {
  say('aborted', { reason: (run.signal.reason as { reason?: string }).reason });
});
say('started');
if (args.mode === 'input') {
  const responses = await run.requestInput(
    { confirm: { method: 'elicitation/create', params: { message: 'Go on?' } } },
    'waiting for the user',
  );
  say('input', { responses });
  await run.complete({ content: [{ type: 'text', text: 'done' }], answer: responses });
  say('completed');
}
