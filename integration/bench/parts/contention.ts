import { GenericTaskStore } from '@tasks/core';
import { ConflictCountingBackend } from '../backends.js';
import type { DynamoDbFixture } from '../dynamodb-fixture.js';
import { timeOperations } from '../harness.js';
import { formatCount, formatMs, formatRatio } from '../markdown.js';
import type { PartReport } from '../report.js';

/** Concurrent writers per level. */
const WRITER_COUNTS = [1, 4, 16, 32, 64] as const;

/**
 * Where the writers run: all in one process on one store (whose group commit merges their changes
 * into shared writes), or each on a store of its own, as writers on separate instances would.
 */
type Placement = 'one store' | 'a store each';

/** Both placements, measured side by side. */
const PLACEMENTS: readonly Placement[] = ['one store', 'a store each'];

/** Variable merges per round, split evenly over the writers. */
const WRITES_PER_ROUND = 128;

/** Timed rounds per level, each on a new task. */
const ROUNDS = 3;

/**
 * Compare-and-swap attempts per merge before the store gives up: far above the default (100) so
 * that 64 writers on one task measure retries rather than give-ups; give-ups are still counted.
 */
const MAX_ATTEMPTS = 1_000;

/** The figures of one concurrency level, summed over its rounds. */
interface LevelResult {
  placement: Placement;
  writers: number;
  rounds: number;
  writes: number;
  /** Median wall time of a round, in milliseconds. */
  roundP50: number;
  /** Successful merges per second at the median round time. */
  writesPerSecond: number;
  /** Version conflicts, each one a re-read and another conditional write. */
  retries: number;
  /** HTTP attempts sent. */
  requests: number;
  /** Merges that returned success but are missing from the task's variables. Must be 0. */
  lostUpdates: number;
  /** Merges that gave up with `TaskConflictError` after `MAX_ATTEMPTS`. */
  gaveUp: number;
}

/**
 * Part 5: 1, 4, 16, 32 and 64 concurrent writers each merging their own variables into one task
 * through the store on DynamoDB, on one store and on a store each: throughput against one writer,
 * retries per write, and lost updates.
 */
export async function measureContention(db: DynamoDbFixture): Promise<PartReport> {
  const levels: LevelResult[] = [];
  for (const placement of PLACEMENTS) {
    for (const writers of WRITER_COUNTS) levels.push(await measureLevel(db, writers, placement));
  }
  const single = (placement: Placement) =>
    levels.find((level) => level.placement === placement && level.writers === 1) as LevelResult;
  return {
    title: '5. Contention: concurrent writers merging variables into one task (DynamoDB)',
    method: `Each round creates a task and starts N writers that together make ${WRITES_PER_ROUND} \`setVariables\` merges, each writer its own keys; ${ROUNDS} rounds per level, timed with tinybench. The writers share one store (one process: its group commit merges concurrent changes of a task into one conditional write) or have a store each (as writers on separate instances). Retries are the \`VersionConflictError\`s the stores met (counted by wrapping the backend), each one more conditional write. After each round the task is read back and every merge that reported success is checked to be there.`,
    table: {
      headers: [
        'Writers on',
        'Writers',
        'Writes',
        'Round p50',
        'Writes/s',
        'Against 1 writer',
        'Retries per write',
        'Requests per write',
        'Lost updates',
        'Gave up',
      ],
      rows: levels.map((level) => [
        level.placement,
        String(level.writers),
        formatCount(level.writes),
        formatMs(level.roundP50),
        formatCount(level.writesPerSecond),
        formatRatio(level.writesPerSecond / single(level.placement).writesPerSecond),
        (level.retries / level.writes).toFixed(2),
        (level.requests / level.writes).toFixed(2),
        String(level.lostUpdates),
        String(level.gaveUp),
      ]),
    },
    notes: [
      'In one process the writers never conflict: changes of a task waiting for their turn are applied in order to the same record and written together. Across instances a conflict costs one more conditional write (the failed one returns the current item), and the store waits a random time below 1, 2, 4... ms (at most 50 ms, `jitteredBackoff`) before it.',
    ],
    raw: levels,
  };
}

async function measureLevel(
  db: DynamoDbFixture,
  writers: number,
  placement: Placement,
): Promise<LevelResult> {
  const counting = new ConflictCountingBackend(db.backend);
  const storeOf = () =>
    new GenericTaskStore({
      backend: counting,
      maxAttempts: MAX_ATTEMPTS,
      limits: { maxActiveTasksPerOwner: null },
    });
  const store = storeOf();
  const stores = Array.from({ length: writers }, () =>
    placement === 'one store' ? store : storeOf(),
  );
  const owner = `contention-${placement === 'one store' ? 'shared' : 'separate'}-${writers}`;
  const perWriter = WRITES_PER_ROUND / writers;
  let taskId = '';
  let round = 0;
  let gaveUp = 0;
  let lostUpdates = 0;
  let requests = 0;
  let succeeded: string[] = [];
  const writer = async (index: number) => {
    for (let write = 0; write < perWriter; write += 1) {
      const name = `r${round}w${index}n${write}`;
      try {
        await (stores[index] as GenericTaskStore).setVariables(owner, taskId, { [name]: write });
        succeeded.push(name);
      } catch (error) {
        if ((error as Error).name !== 'TaskConflictError') throw error;
        gaveUp += 1;
      }
    }
  };
  const [stats] = await timeOperations(
    [
      {
        name: `${writers} writers`,
        beforeEach: async () => {
          round += 1;
          succeeded = [];
          taskId = (await store.create(owner)).taskId;
        },
        run: async () => {
          const before = db.counter.sent;
          await Promise.all(Array.from({ length: writers }, (_, index) => writer(index)));
          requests += db.counter.sent - before;
        },
        afterEach: async () => {
          const { variables } = await store.get(owner, taskId);
          lostUpdates += succeeded.filter((name) => variables[name] === undefined).length;
        },
      },
    ],
    { time: 0, iterations: ROUNDS, warmupIterations: 0 },
  );
  if (!stats) throw new Error(`No timing for ${writers} writers`);
  const writes = stats.samples * WRITES_PER_ROUND;
  return {
    placement,
    writers,
    rounds: stats.samples,
    writes,
    roundP50: stats.p50,
    writesPerSecond: (WRITES_PER_ROUND - gaveUp / stats.samples) / (stats.p50 / 1000),
    retries: counting.conflicts,
    requests,
    lostUpdates,
    gaveUp,
  };
}
