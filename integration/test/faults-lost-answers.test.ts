import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { QueuedMessage } from '@modelcontextprotocol/sdk/experimental/tasks';
import {
  GenericTaskMessageQueue,
  GenericTaskStore,
  ownerPrefix,
  type TaskSnapshot,
  WriteOutcomeUnknownError,
} from '@tasks/core';
import { DynamoDbBackend } from '@tasks/dynamodb';
import {
  dynamoDbClientConfig,
  type RestartableDynamoDbLocal,
  startRestartableDynamoDbLocal,
} from '@tasks/dynamodb-local';
import { McpTaskMessageQueue, McpTaskStore } from '@tasks/mcp/sdk-v1';
import { createTestTable, type TestTable } from '../src/index.js';
import {
  type FaultContext,
  faultStoreWrite,
  QueueChain,
  type StoreWrite,
} from './support/fault-chains.js';
import { FaultLedger, type FaultMode, faultModes, faultOf } from './support/fault-ledger.js';
import { type FaultProxy, startFaultProxy } from './support/fault-proxy.js';
import { runEndpoint, runSource } from './support/run-endpoint.js';

/** The time limit of one attempt the DynamoDB README recommends; `maxAttempts` stays the SDK's. */
const REQUEST_TIMEOUT_MS = 2_000;
/** Chains of faulted calls per part, one task each: 16 × 5 + 8 × 10 + 8 × 8 = 224 faulted writes. */
const STORE_CHAINS = 16;
const QUEUE_CHAINS = 8;
const MCP_CHAINS = 8;
/** Every part must end well within this; measured: a few seconds each. */
const PART_TIMEOUT_MS = 120_000;
const SESSION = 'session-of-the-fault-test';

let local: RestartableDynamoDbLocal | undefined;
let table: TestTable;
let proxy: FaultProxy;
let context: Omit<FaultContext, 'ledger'>;
/** The SDK's default attempts per DynamoDB request (4 in the SDK this runs; `AWS_MAX_ATTEMPTS` may set it). */
let maxAttempts: number;
let total: FaultLedger;

/**
 * A backend whose requests go through the fault proxy, configured as the DynamoDB README
 * recommends (`requestTimeoutMs`), with the SDK's default `maxAttempts`. A new one per task keeps
 * each chain's resends within the SDK client's retry quota.
 */
function proxiedBackend(): DynamoDbBackend {
  return new DynamoDbBackend({
    ...dynamoDbClientConfig(proxy.endpoint),
    tableName: table.tableName,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
  });
}

/**
 * Runs one part with a ledger of its own, each chain on a proxied backend of its own (released
 * after it), prints the part's counts, and adds them to the total.
 */
async function part(
  title: string,
  chains: number,
  chain: (ledger: FaultLedger, n: number, backend: DynamoDbBackend) => Promise<void>,
) {
  const ledger = new FaultLedger(maxAttempts);
  const startedAt = performance.now();
  for (let n = 0; n < chains; n += 1) {
    const backend = proxiedBackend();
    try {
      await chain(ledger, n, backend);
    } finally {
      backend.destroy();
    }
  }
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  console.log(`${ledger.format(title)} (${seconds} s)`);
  total.add(ledger);
  expect(ledger.problems).toEqual([]);
  expect(ledger.counts).toMatchObject({ lost: 0, duplicated: 0, falseDomainErrors: 0 });
}

/** The store writes of a task's life: variables, input_required and back, variables, the end. */
function storeWrites(
  store: Pick<GenericTaskStore, 'setVariables' | 'updateStatus' | 'storeResult' | 'cancel'>,
  owner: string,
  taskId: string,
  n: number,
): StoreWrite[] {
  return [
    {
      label: 'setVariables',
      call: () => store.setVariables(owner, taskId, { first: n }),
      visible: (task: TaskSnapshot) => task.variables.first === n,
    },
    {
      label: 'updateStatus input_required',
      call: () => store.updateStatus(owner, taskId, 'input_required', 'asking'),
      visible: (task) => task.status === 'input_required' && task.statusMessage === 'asking',
    },
    {
      label: 'updateStatus working',
      call: () => store.updateStatus(owner, taskId, 'working', 'resumed'),
      visible: (task) => task.status === 'working' && task.statusMessage === 'resumed',
    },
    {
      label: 'setVariables',
      call: () => store.setVariables(owner, taskId, { second: n }),
      visible: (task) => task.variables.second === n,
    },
    n % 2 === 0
      ? {
          label: 'storeResult',
          call: () => store.storeResult(owner, taskId, 'completed', { n }),
          visible: (task) => task.status === 'completed' && task.hasResult,
        }
      : {
          label: 'cancel',
          call: () => store.cancel(owner, taskId, 'stopped'),
          visible: (task) => task.status === 'cancelled' && task.statusMessage === 'stopped',
        },
  ];
}

/** Enqueues four messages, takes one, takes all, enqueues two, takes one, takes all. */
async function queueWork(chain: QueueChain, n: number): Promise<void> {
  for (const k of [1, 2, 3, 4]) await chain.enqueue(`q${n}-${k}`);
  await chain.dequeue();
  await chain.dequeueAll();
  for (const k of [5, 6]) await chain.enqueue(`q${n}-${k}`);
  await chain.dequeue();
  await chain.dequeueAll();
  await chain.finish();
}

beforeAll(async () => {
  let endpoint = runEndpoint();
  if (runSource() === 'env') {
    local = await startRestartableDynamoDbLocal();
    endpoint = local.endpoint;
  }
  table = await createTestTable(endpoint, { label: 'lost-answers' });
  proxy = await startFaultProxy(endpoint);
  const probe = new DynamoDBClient(dynamoDbClientConfig(proxy.endpoint));
  maxAttempts = await probe.config.maxAttempts();
  probe.destroy();
  expect(maxAttempts).toBeGreaterThanOrEqual(3);
  total = new FaultLedger(maxAttempts);
  const inspect = new DynamoDbBackend({ client: table.documentClient, tableName: table.tableName });
  const direct = new GenericTaskStore({ backend: inspect });
  context = {
    proxy,
    nextMode: faultModes(20_260_301),
    inspect,
    direct,
    directQueue: new GenericTaskMessageQueue({ store: direct }),
  };
});

afterAll(async () => {
  console.log(`${total?.format('Fault proxy, all parts')}, SDK maxAttempts ${maxAttempts}`);
  await proxy?.close();
  await table?.drop();
  await local?.stop();
});

describe('faults: DynamoDB applies a write, its response is lost, the SDK resends (fault proxy on 127.0.0.1)', () => {
  it(
    `store: ${STORE_CHAINS * 5} faulted writes of updateStatus, setVariables, storeResult and cancel, each applied exactly once`,
    async () => {
      await part('store', STORE_CHAINS, async (ledger, n, backend) => {
        const store = new GenericTaskStore({ backend });
        const owner = `store-${n}`;
        const { taskId } = await store.create(owner);
        for (const write of storeWrites(store, owner, taskId, n)) {
          await faultStoreWrite({ ...context, ledger }, owner, taskId, write);
        }
      });
    },
    PART_TIMEOUT_MS,
  );

  it(
    `queue: ${QUEUE_CHAINS * 10} faulted enqueues, dequeues and dequeueAlls, no message lost or repeated`,
    async () => {
      await part('queue', QUEUE_CHAINS, async (ledger, n, backend) => {
        const store = new GenericTaskStore({ backend });
        const queue = new GenericTaskMessageQueue({ store });
        const owner = `queue-${n}`;
        const { taskId } = await store.create(owner);
        const chain = new QueueChain({ ...context, ledger }, owner, taskId, {
          enqueue: (message) => queue.enqueue(owner, taskId, message),
          dequeue: () => queue.dequeue(owner, taskId),
          dequeueAll: () => queue.dequeueAll(owner, taskId),
        });
        await queueWork(chain, n);
      });
    },
    PART_TIMEOUT_MS,
  );

  it(
    `MCP SDK 1.x adapters: ${MCP_CHAINS * 8} faulted McpTaskStore and McpTaskMessageQueue writes`,
    async () => {
      await part('MCP adapters', MCP_CHAINS, async (ledger, n, backend) => {
        const store = new GenericTaskStore({ backend });
        const owners = { ownerOfSession: () => `mcp-${n}` };
        const taskStore = new McpTaskStore({ store, ...owners });
        const queue = new McpTaskMessageQueue({ store, ...owners });
        const owner = taskStore.ownerOf(SESSION);
        const request = { method: 'tools/call', params: { name: 'work' } };
        const { taskId } = await taskStore.createTask({ ttl: 600_000 }, n, request, SESSION);
        const faultContext = { ...context, ledger };
        const status = (
          label: string,
          call: () => Promise<unknown>,
          visible: StoreWrite['visible'],
        ) => faultStoreWrite(faultContext, owner, taskId, { label, call, visible });
        const chain = new QueueChain(faultContext, owner, taskId, {
          enqueue: (message) => queue.enqueue(taskId, message as unknown as QueuedMessage, SESSION),
          dequeue: () => queue.dequeue(taskId, SESSION),
          dequeueAll: () => queue.dequeueAll(taskId, SESSION),
        });
        await status(
          'updateTaskStatus input_required',
          () => taskStore.updateTaskStatus(taskId, 'input_required', 'asking', SESSION),
          (task) => task.status === 'input_required',
        );
        await chain.enqueue(`m${n}-1`);
        await chain.enqueue(`m${n}-2`);
        await chain.dequeue();
        await status(
          'updateTaskStatus working',
          () => taskStore.updateTaskStatus(taskId, 'working', 'answered', SESSION),
          (task) => task.status === 'working' && task.statusMessage === 'answered',
        );
        await chain.enqueue(`m${n}-3`);
        await chain.dequeueAll();
        await (n % 2 === 0
          ? status(
              'storeTaskResult',
              () => taskStore.storeTaskResult(taskId, 'completed', { content: [] }, SESSION),
              (task) => task.status === 'completed' && task.hasResult,
            )
          : status(
              'updateTaskStatus cancelled',
              () => taskStore.updateTaskStatus(taskId, 'cancelled', 'stopped', SESSION),
              (task) => task.status === 'cancelled',
            ));
        await chain.finish();
      });
    },
    PART_TIMEOUT_MS,
  );

  it('DynamoDbBackend reads the resend’s condition failure: its own write is success, another writer’s record comes back with WriteOutcomeUnknownError', async () => {
    const backend = proxiedBackend();
    try {
      const key = `${ownerPrefix('backend-resends')}record`;
      const faultWith = (mode: FaultMode, another: () => Promise<void> = async () => undefined) =>
        proxy.faultNextWrite(faultOf(mode, maxAttempts, another));
      faultWith('resend');
      expect(await backend.putIfVersion(key, '{"n":1}', 0)).toBe(1);
      faultWith('resendTwice');
      expect(await backend.putIfVersion(key, '{"n":2}', 1)).toBe(2);
      faultWith('interleaved', async () => {
        await context.inspect.putIfVersion(key, '{"n":"other"}', 3);
      });
      const interleaved = await backend
        .putIfVersion(key, '{"n":3}', 2)
        .catch((error: unknown) => error);
      expect(interleaved).toBeInstanceOf(WriteOutcomeUnknownError);
      expect(interleaved).toMatchObject({ current: { data: '{"n":"other"}', version: 4 } });
      faultWith('allLost');
      const unanswered = await backend
        .putIfVersion(key, '{"n":5}', 4)
        .catch((error: unknown) => error);
      expect(unanswered).toBeInstanceOf(WriteOutcomeUnknownError);
      expect((unanswered as WriteOutcomeUnknownError).current).toBeUndefined();
      expect(await context.inspect.get(key)).toEqual({ data: '{"n":5}', version: 5 });
      expect(
        proxy
          .faulted()
          .slice(-4)
          .map((write) => write.dropped),
      ).toEqual([1, 2, 1, maxAttempts]);
    } finally {
      backend.destroy();
    }
  });

  it('DynamoDbBackend.put is applied once when the SDK resends it: the version rises by one', async () => {
    const backend = proxiedBackend();
    try {
      const key = `${ownerPrefix('backend-put-resends')}record`;
      expect(await backend.put(key, '{"n":1}')).toBe(1);
      proxy.faultNextWrite(faultOf('resend', maxAttempts, async () => undefined));
      expect(await backend.put(key, '{"n":2}')).toBe(2);
      proxy.faultNextWrite(faultOf('resendTwice', maxAttempts, async () => undefined));
      expect(await backend.put(key, '{"n":3}')).toBe(3);
      expect(await context.inspect.get(key)).toEqual({ data: '{"n":3}', version: 3 });
      expect(
        proxy
          .faulted()
          .slice(-2)
          .map((write) => write.dropped),
      ).toEqual([1, 2]);
    } finally {
      backend.destroy();
    }
  });

  it('faulted at least 200 writes in all, with no write lost or duplicated and no false domain error', () => {
    expect(total.counts.faultedWrites).toBeGreaterThanOrEqual(200);
    expect(total.counts.succeeded + total.counts.outcomeUnknown).toBe(total.counts.faultedWrites);
    expect(total.counts).toMatchObject({ lost: 0, duplicated: 0, falseDomainErrors: 0 });
  });
});
