import { newTaskId, ownerPrefix, recordKey } from '@tasks/core';
import type { DynamoDbFixture } from '../dynamodb-fixture.js';
import { comparePairs, type ComparedPair } from '../harness.js';
import { formatCount, formatMs, formatRatio } from '../markdown.js';
import { rawExpiryOf, itemKeyOfTask, partitionKeyOfOwner } from '../raw-table.js';
import type { PartReport } from '../report.js';
import { sampleTaskRecord, seedTasks } from '../task-data.js';

/** The overhead target of the issue: our method within 15% of the raw call. */
const TARGET_RATIO = 1.15;

/** Records under the owner both listings read. */
const LISTED_RECORDS = 1_000;

/** Each side of each pair is timed for at least this many calls and this long, per round. */
const BUDGET = { time: 150, iterations: 20 };

/** Rounds per pair, alternating which side goes first. */
const ROUNDS = 8;

/**
 * Part 2: each backend method against the same request written directly on the DocumentClient,
 * on the same client and endpoint, timed in alternating order; reports the ratio of medians.
 */
export async function measureOverhead(db: DynamoDbFixture): Promise<PartReport> {
  const timings = await comparePairs(await pairsOf(db), BUDGET, ROUNDS);
  return {
    title: '2. Overhead against the raw DocumentClient (DynamoDB)',
    method: `Each backend method against the same request built by hand on a DocumentClient sharing the client (same endpoint, same run), every value prepared in advance. Each pair is timed in ${ROUNDS} short rounds, both sides back to back, alternating which goes first; p50 is the median over rounds of each round's median, and the ratio the median of the per-round ratios.`,
    table: {
      headers: [
        'Method',
        'DynamoDbBackend p50',
        'raw DocumentClient p50',
        'Ratio (ours / raw)',
        'Within 15%',
      ],
      rows: timings.map((timing) => [
        timing.name,
        formatMs(timing.subject.p50),
        formatMs(timing.baseline.p50),
        formatRatio(timing.ratio),
        timing.ratio <= TARGET_RATIO ? 'yes' : 'no',
      ]),
    },
    notes: [
      'What the backend adds: key mapping, the item-size check, reading `expiresAt` from the JSON text, checking expiry on read, watching each attempt (a middleware that tells a lost answer from a refusal) and mapping errors to storage errors.',
    ],
    raw: timings,
  };
}

async function pairsOf(db: DynamoDbFixture): Promise<ComparedPair[]> {
  const { backend, raw } = db;
  const { data } = await sampleTaskRecord();
  const expiresAt = rawExpiryOf(data);
  const stale = data.replace('"variables":{', '"variables":{"stale":true,');
  const owner = 'overhead';
  const taskId = newTaskId(Date.now());
  const key = recordKey(owner, taskId);
  const itemKey = itemKeyOfTask(owner, taskId);
  let version = await backend.put(key, data);
  const listed = 'overhead-listed';
  await seedTasks(backend, listed, LISTED_RECORDS);
  const restore = async () => {
    version = await backend.put(key, data);
  };
  return [
    {
      name: 'get',
      subject: { name: 'backend get', run: () => backend.get(key) },
      baseline: { name: 'raw get', run: () => raw.get(itemKey) },
    },
    {
      name: 'put',
      subject: { name: 'backend put', run: async () => (version = await backend.put(key, data)) },
      baseline: {
        name: 'raw put',
        run: async () => {
          await raw.put(itemKey, data, expiresAt);
          version += 1;
        },
      },
    },
    {
      name: 'putIfVersion (success)',
      subject: {
        name: 'backend putIfVersion',
        run: async () => (version = await backend.putIfVersion(key, data, version)),
      },
      baseline: {
        name: 'raw putIfVersion',
        run: async () => {
          if (!(await raw.putIfVersion(itemKey, data, expiresAt, version))) {
            throw new Error('The raw conditional write failed');
          }
          version += 1;
        },
      },
    },
    {
      name: 'putIfVersion (conflict)',
      subject: {
        name: 'backend putIfVersion conflict',
        run: () =>
          backend.putIfVersion(key, stale, version - 1).then(
            () => Promise.reject(new Error('A stale putIfVersion succeeded')),
            (error: Error) =>
              error.name === 'VersionConflictError' ? error : Promise.reject(error),
          ),
      },
      baseline: {
        name: 'raw putIfVersion conflict',
        run: async () => {
          if (await raw.putIfVersion(itemKey, stale, expiresAt, version - 1)) {
            throw new Error('A stale raw conditional write succeeded');
          }
        },
      },
    },
    {
      name: 'delete',
      subject: { name: 'backend delete', beforeEach: restore, run: () => backend.delete(key) },
      baseline: { name: 'raw delete', beforeEach: restore, run: () => raw.delete(itemKey) },
    },
    {
      name: `listByPrefix (${formatCount(LISTED_RECORDS)} records)`,
      subject: {
        name: 'backend listByPrefix',
        run: () => backend.listByPrefix(ownerPrefix(listed)),
      },
      baseline: {
        name: 'raw Query',
        run: () => raw.queryPartition(partitionKeyOfOwner(listed)),
      },
    },
  ];
}
