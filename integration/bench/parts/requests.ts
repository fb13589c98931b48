import { GenericTaskStore, newTaskId, ownerPrefix, recordKey, type TaskStatus } from '@tasks/core';
import type { DynamoDbFixture } from '../dynamodb-fixture.js';
import { type LatencyStats, timeOperations, type TimedOperation } from '../harness.js';
import { formatCount, formatMs } from '../markdown.js';
import type { PartReport } from '../report.js';
import { describeRequests, type RequestCount } from '../request-counter.js';
import { sampleTaskRecord, seedTasks } from '../task-data.js';

/** Records under the owner whose full listing is counted. */
const LISTED_RECORDS = 1_000;

/** The owner holding them. */
const LISTED_OWNER = 'requests-listed';

/** Store operations are timed for at least this many calls and this long. */
const BUDGET = { time: 300, iterations: 30 };

interface CountedOperation {
  layer: 'backend' | 'store';
  operation: string;
  count: RequestCount;
  latency?: LatencyStats;
}

/**
 * Part 1: the requests each backend method and each store operation sends to DynamoDB, counted
 * by the client middleware, and the latency of each store operation.
 */
export async function measureRequestsPerOperation(db: DynamoDbFixture): Promise<PartReport> {
  const rows = [...(await countBackendMethods(db)), ...(await countStoreOperations(db))];
  return {
    title: '1. Requests per operation (DynamoDB)',
    method:
      'Requests are the HTTP attempts the SDK client sent, counted by a middleware in its `finalizeRequest` step (below the retry middleware, so a retry would count). Latency is the median of tinybench samples; backend latencies are in part 2.',
    table: {
      headers: ['Layer', 'Operation', 'Requests', 'Sent', 'p50'],
      rows: rows.map((row) => [
        row.layer,
        row.operation,
        String(row.count.requests),
        describeRequests(row.count.byOperation),
        row.latency ? formatMs(row.latency.p50) : 'part 2',
      ]),
    },
    notes: [
      'Every single-record backend method is one request, the floor; the whole listing fits one Query page (DynamoDB pages at 1 MB).',
      'A store change by the store that last wrote the task is one conditional write: its cached version is the expected version (part 7 shows the cost from another instance and after a conflict). `get` is always a consistent read.',
      'Create with the default active-task limit (100) is two conditional writes: the owner’s active-task index, then the task; with `maxActiveTasksPerOwner: null` it is one. The created tasks are finished (untimed) so the owner stays under the limit.',
    ],
    raw: rows,
  };
}

async function countBackendMethods(db: DynamoDbFixture): Promise<CountedOperation[]> {
  const { backend, counter } = db;
  const { data } = await sampleTaskRecord();
  const key = recordKey('requests-backend', newTaskId(Date.now()));
  let version = 0;
  const counted: Array<[string, () => Promise<unknown>]> = [
    ['put', async () => (version = await backend.put(key, data))],
    ['get', () => backend.get(key)],
    [
      'putIfVersion (success)',
      async () => (version = await backend.putIfVersion(key, data, version)),
    ],
    [
      'putIfVersion (conflict)',
      () =>
        expectConflict(
          backend.putIfVersion(
            key,
            data.replace('"variables":{', '"variables":{"stale":true,'),
            version - 1,
          ),
        ),
    ],
    ['delete', () => backend.delete(key)],
  ];
  const rows: CountedOperation[] = [];
  for (const [operation, call] of counted) {
    rows.push({ layer: 'backend', operation, count: await counter.count(call) });
  }
  await seedTasks(backend, LISTED_OWNER, LISTED_RECORDS);
  let listedBytes = 0;
  const count = await counter.count(async () => {
    const records = await backend.listByPrefix(ownerPrefix(LISTED_OWNER));
    if (records.length !== LISTED_RECORDS) {
      throw new Error(`Listed ${records.length} records; expected ${LISTED_RECORDS}`);
    }
    listedBytes = records.reduce((sum, [, { data }]) => sum + Buffer.byteLength(data), 0);
  });
  rows.push({
    layer: 'backend',
    operation: `listByPrefix (${formatCount(LISTED_RECORDS)} records, ${(listedBytes / 1e6).toFixed(2)} MB of JSON)`,
    count,
  });
  return rows;
}

async function countStoreOperations(db: DynamoDbFixture): Promise<CountedOperation[]> {
  const { backend, counter } = db;
  const limited = new GenericTaskStore({ backend });
  const unlimited = new GenericTaskStore({ backend, limits: { maxActiveTasksPerOwner: null } });
  const owner = 'requests-store';
  const params = { requestMethod: 'tools/call' };
  let limitedTask = '';
  let fresh = '';
  let status: TaskStatus = 'working';
  let step = 0;
  const task = (await unlimited.create(owner, params)).taskId;
  const nextStatus = () => (status = status === 'working' ? 'input_required' : 'working');
  const createFresh = async () => {
    fresh = (await unlimited.create(owner, params)).taskId;
  };
  const operations: Array<TimedOperation & { prepare?: () => Promise<void> }> = [
    {
      name: 'create (default active-task limit)',
      prepare: () => limited.create('requests-limited', params).then(() => undefined),
      run: async () => {
        limitedTask = (await limited.create('requests-limited', params)).taskId;
      },
      afterEach: async () => {
        await limited.cancel('requests-limited', limitedTask);
      },
    },
    { name: 'create (`maxActiveTasksPerOwner: null`)', run: () => unlimited.create(owner, params) },
    { name: 'get', run: () => unlimited.get(owner, task) },
    { name: 'updateStatus', run: () => unlimited.updateStatus(owner, task, nextStatus()) },
    {
      name: 'setVariables',
      run: () => unlimited.setVariables(owner, task, { step: (step += 1) }),
    },
    {
      name: 'storeResult (completed, with result)',
      prepare: createFresh,
      beforeEach: createFresh,
      run: () =>
        unlimited.storeResult(owner, fresh, 'completed', {
          content: [{ type: 'text', text: 'done' }],
        }),
    },
    {
      name: `list one page (50 of ${formatCount(LISTED_RECORDS)} tasks)`,
      run: () => unlimited.list(LISTED_OWNER, { pageSize: 50 }),
    },
    {
      name: 'cancel',
      prepare: createFresh,
      beforeEach: createFresh,
      run: () => unlimited.cancel(owner, fresh),
    },
  ];
  const counts: RequestCount[] = [];
  for (const operation of operations) {
    await operation.prepare?.();
    counts.push(await counter.count(operation.run));
  }
  const latencies = await timeOperations(operations, BUDGET);
  return operations.map((operation, index) => ({
    layer: 'store',
    operation: operation.name,
    count: counts[index] as RequestCount,
    latency: latencies[index] as LatencyStats,
  }));
}

async function expectConflict(write: Promise<number>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if ((error as Error).name === 'VersionConflictError') return;
    throw error;
  }
  throw new Error('putIfVersion with a stale version succeeded');
}
