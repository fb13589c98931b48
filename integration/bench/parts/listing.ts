import { GenericTaskStore } from '@tasks/core';
import { ContractOnlyBackend } from '@tasks/core/testing';
import type { DynamoDbFixture } from '../dynamodb-fixture.js';
import { type RoundedTiming, timeInRounds } from '../harness.js';
import { formatCount, formatMs, formatRatio } from '../markdown.js';
import type { PartReport } from '../report.js';
import type { RequestCount } from '../request-counter.js';
import { seedTasks } from '../task-data.js';

/** How many tasks each listed owner holds. */
const OWNER_SIZES = [100, 1_000, 10_000] as const;

/** Tasks per page: the store's default, which `tasks/list` uses. */
const PAGE_SIZE = 50;

/** Each listing is timed for at least this many calls and this long, per round. */
const BUDGET = { time: 100, iterations: 5, warmupIterations: 1 };

/** Rounds, rotating which listing goes first. */
const ROUNDS = 4;

/** One way of listing, at one owner size. */
interface ListingMeasurement {
  count: RequestCount;
  latency: RoundedTiming;
}

/** Both ways of listing at one owner size. */
interface SizeResult {
  tasks: number;
  paged: ListingMeasurement;
  fullRead: ListingMeasurement;
}

/**
 * Part 6: the latency of one `tasks/list` page (the first, 50 tasks) for owners holding 100, 1,000
 * and 10,000 tasks, through the store on `DynamoDbBackend` as it is (paged listing: one Query with
 * `Limit`, newest first) and through a wrapper that hides the paged listing (the store then reads
 * the owner's whole partition).
 */
export async function measureListing(db: DynamoDbFixture): Promise<PartReport> {
  const paged = new GenericTaskStore({ backend: db.backend, pageSize: PAGE_SIZE });
  const fullRead = new GenericTaskStore({
    backend: new ContractOnlyBackend(db.backend),
    pageSize: PAGE_SIZE,
  });
  const ownerOf = (tasks: number) => `listing-${tasks}`;
  for (const tasks of OWNER_SIZES) await seedTasks(db.backend, ownerOf(tasks), tasks);
  const listings = OWNER_SIZES.flatMap((tasks) => [
    { tasks, way: 'paged', store: paged },
    { tasks, way: 'full read', store: fullRead },
  ]);
  const counts: RequestCount[] = [];
  for (const { tasks, way, store } of listings) {
    counts.push(
      await db.counter.count(async () => {
        const page = await store.list(ownerOf(tasks));
        if (page.tasks.length !== PAGE_SIZE || page.nextCursor === undefined) {
          throw new Error(`${way}: expected a full page with a cursor for ${tasks} tasks`);
        }
      }),
    );
  }
  const timings = await timeInRounds(
    listings.map(({ tasks, way, store }) => ({
      name: `${way}, ${tasks} tasks`,
      run: () => store.list(ownerOf(tasks)),
    })),
    BUDGET,
    ROUNDS,
  );
  const measurement = (index: number): ListingMeasurement => ({
    count: counts[index] as RequestCount,
    latency: timings[index] as RoundedTiming,
  });
  const sizes: SizeResult[] = OWNER_SIZES.map((tasks, index) => ({
    tasks,
    paged: measurement(2 * index),
    fullRead: measurement(2 * index + 1),
  }));
  const smallest = sizes[0] as SizeResult;
  const largest = sizes.at(-1) as SizeResult;
  return {
    title: '6. Listing: one `tasks/list` page against the owner’s task count (DynamoDB)',
    method: `The first page (${PAGE_SIZE} tasks, newest first) for owners holding ${OWNER_SIZES.map((size) => formatCount(size)).join(', ')} tasks. "Paged" is the store on \`DynamoDbBackend\`, which implements the optional \`listPageByPrefix\` (one Query, \`ScanIndexForward: false\`, \`Limit\` ${PAGE_SIZE + 1}). "Full read" is the same store and table through a wrapper exposing only the six contract methods, so the store reads the whole partition with \`listByPrefix\` and pages in memory. All six listings are timed in ${ROUNDS} rounds, rotating which goes first; p50 is the median of the rounds' medians.`,
    table: {
      headers: [
        'Tasks held',
        'Paged p50',
        'Paged requests',
        'Full read p50',
        'Full read requests',
        'Full read / paged',
      ],
      rows: sizes.map((size) => [
        formatCount(size.tasks),
        formatMs(size.paged.latency.p50),
        String(size.paged.count.requests),
        formatMs(size.fullRead.latency.p50),
        String(size.fullRead.count.requests),
        formatRatio(size.fullRead.latency.p50 / size.paged.latency.p50),
      ]),
    },
    notes: [
      `From ${formatCount(smallest.tasks)} to ${formatCount(largest.tasks)} tasks the paged page goes from ${formatMs(smallest.paged.latency.p50)} to ${formatMs(largest.paged.latency.p50)} (${formatRatio(largest.paged.latency.p50 / smallest.paged.latency.p50)}); the full read from ${formatMs(smallest.fullRead.latency.p50)} to ${formatMs(largest.fullRead.latency.p50)} (${formatRatio(largest.fullRead.latency.p50 / smallest.fullRead.latency.p50)}).`,
    ],
    raw: sizes,
  };
}
