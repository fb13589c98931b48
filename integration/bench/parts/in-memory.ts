import { InMemoryTaskStore } from '@modelcontextprotocol/sdk/experimental/tasks';
import { GenericTaskStore, InMemoryBackend, type TaskStatus } from '@tasks/core';
import { comparePairs, type ComparedPair } from '../harness.js';
import { formatMicroseconds, formatRatio } from '../markdown.js';
import type { PartReport } from '../report.js';

/** In-memory calls are fast: many samples, and a long warm-up so both sides are compiled. */
const BUDGET = { time: 200, iterations: 500, warmupIterations: 2_000 };

/** Rounds per pair, alternating which side goes first. */
const ROUNDS = 6;

/** The TTL both stores are given, so both keep the same expiry bookkeeping. */
const TTL_MS = 3_600_000;

const OWNER = 'in-memory-owner';
const RESULT = { content: [{ type: 'text' as const, text: 'done' }] };
const REQUEST = { method: 'tools/call', params: { name: 'work', arguments: {} } };

/**
 * Part 4: `GenericTaskStore` on `InMemoryBackend` against the MCP SDK's `InMemoryTaskStore` for
 * create, get, update and complete-with-result; reports the ratio of medians.
 */
export async function measureInMemory(): Promise<PartReport> {
  const sdk = new InMemoryTaskStore();
  try {
    const timings = await comparePairs(await pairsOf(sdk), BUDGET, ROUNDS);
    return {
      title:
        '4. In memory: GenericTaskStore on InMemoryBackend against the SDK’s InMemoryTaskStore',
      method: `Both stores in this process, same TTL (${TTL_MS / 3_600_000} h); ours without the active-task limit (\`maxActiveTasksPerOwner: null\`), which the SDK store does not have. Timed as in part 2, p50 in microseconds.`,
      table: {
        headers: [
          'Operation',
          'GenericTaskStore p50',
          'SDK InMemoryTaskStore p50',
          'Ratio (ours / SDK)',
        ],
        rows: timings.map((timing) => [
          timing.name,
          formatMicroseconds(timing.subject.p50),
          formatMicroseconds(timing.baseline.p50),
          formatRatio(timing.ratio),
        ]),
      },
      notes: [
        'Ours does more per call: it validates input against the limits, serializes the record to JSON text and parses it back on every read (as a durable backend must), enforces the transition rules and owner isolation, and writes with compare-and-swap. The SDK store keeps live objects in a Map.',
        'Every figure here is microseconds; one DynamoDB request in parts 1 and 2 is a millisecond or more, so in a durable deployment the store’s own work is a small share of the latency.',
      ],
      raw: timings,
    };
  } finally {
    sdk.cleanup();
  }
}

async function pairsOf(sdk: InMemoryTaskStore): Promise<ComparedPair[]> {
  const ours = new GenericTaskStore({
    backend: new InMemoryBackend(),
    limits: { maxActiveTasksPerOwner: null },
  });
  const createOurs = async () =>
    (await ours.create(OWNER, { ttl: TTL_MS, requestMethod: REQUEST.method })).taskId;
  const createSdk = async () => (await sdk.createTask({ ttl: TTL_MS }, 1, REQUEST)).taskId;
  let ourTask = '';
  let sdkTask = '';
  let ourStatus: TaskStatus = 'working';
  let sdkStatus: TaskStatus = 'working';
  const toggle = (status: TaskStatus): TaskStatus =>
    status === 'working' ? 'input_required' : 'working';
  const freshOurTask = async () => {
    ourTask = await createOurs();
  };
  const freshSdkTask = async () => {
    sdkTask = await createSdk();
  };
  const standingOurTask = await createOurs();
  const standingSdkTask = await createSdk();
  return [
    {
      name: 'create',
      subject: { name: 'ours create', run: createOurs },
      baseline: { name: 'sdk create', run: createSdk },
    },
    {
      name: 'get',
      subject: { name: 'ours get', run: () => ours.get(OWNER, standingOurTask) },
      baseline: { name: 'sdk get', run: () => sdk.getTask(standingSdkTask) },
    },
    {
      name: 'update status',
      subject: {
        name: 'ours update',
        run: () => ours.updateStatus(OWNER, standingOurTask, (ourStatus = toggle(ourStatus))),
      },
      baseline: {
        name: 'sdk update',
        run: () => sdk.updateTaskStatus(standingSdkTask, (sdkStatus = toggle(sdkStatus))),
      },
    },
    {
      name: 'complete with result',
      subject: {
        name: 'ours complete',
        beforeEach: freshOurTask,
        run: () => ours.storeResult(OWNER, ourTask, 'completed', RESULT),
      },
      baseline: {
        name: 'sdk complete',
        beforeEach: freshSdkTask,
        run: () => sdk.storeTaskResult(sdkTask, 'completed', RESULT),
      },
    },
  ];
}
