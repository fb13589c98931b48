import { Bench, type FnOptions, type Task } from 'tinybench';

/** Latency statistics of one timed operation, in milliseconds, as tinybench computed them. */
export interface LatencyStats {
  /** The operation's name. */
  name: string;
  /** How many timed calls the statistics come from. */
  samples: number;
  /** Mean latency. */
  mean: number;
  /** Median latency: the figure the tables and ratios use, being robust on a shared machine. */
  p50: number;
  /** 99th percentile latency. */
  p99: number;
  /** Relative margin of error of the mean, in percent (95% confidence). */
  rme: number;
}

/** How long tinybench times each operation: it stops once both bounds are met. */
export interface TimingBudget {
  /** Time budget per operation in milliseconds. */
  time: number;
  /** Minimum timed calls per operation. */
  iterations: number;
  /** Untimed warm-up calls before timing (default 5); 0 turns warm-up off. */
  warmupIterations?: number;
}

/** One operation to time. */
export interface TimedOperation {
  /** The name it is reported under. */
  name: string;
  /** The call being timed. */
  run: () => Promise<unknown>;
  /** Untimed preparation before each call (for example, writing the item a delete removes). */
  beforeEach?: () => Promise<void>;
  /** Untimed check after each call. */
  afterEach?: () => Promise<void>;
}

/**
 * Times each operation in turn with tinybench and returns its statistics, in the order given.
 * A failing call aborts the run with its error.
 */
export async function timeOperations(
  operations: readonly TimedOperation[],
  budget: TimingBudget,
): Promise<LatencyStats[]> {
  const warmupIterations = budget.warmupIterations ?? 5;
  const bench = new Bench({
    time: budget.time,
    iterations: budget.iterations,
    warmup: warmupIterations > 0,
    warmupIterations,
    warmupTime: 0,
    throws: true,
  });
  for (const operation of operations) {
    const hooks: FnOptions = { async: true };
    if (operation.beforeEach) hooks.beforeEach = operation.beforeEach;
    if (operation.afterEach) hooks.afterEach = operation.afterEach;
    bench.add(operation.name, operation.run, hooks);
  }
  return (await bench.run()).map(statsOf);
}

/** The timings of one operation over every round. */
export interface RoundedTiming {
  /** The operation's name. */
  name: string;
  /** Its statistics, one entry per round. */
  rounds: LatencyStats[];
  /** The median over rounds of its per-round median latency. */
  p50: number;
}

/**
 * Times the operations in `rounds` short rounds, all of them in each round, rotating which goes
 * first. A burst of load from other processes on a shared machine then spoils a round for every
 * operation alike, and the median over rounds leaves it out.
 */
export async function timeInRounds(
  operations: readonly TimedOperation[],
  budget: TimingBudget,
  rounds: number,
): Promise<RoundedTiming[]> {
  const perOperation = operations.map((): LatencyStats[] => []);
  for (let round = 0; round < rounds; round += 1) {
    const shift = round % operations.length;
    const order = [...operations.keys()].map((index) => (index + shift) % operations.length);
    const stats = await timeOperations(
      order.map((index) => operations[index] as TimedOperation),
      budget,
    );
    order.forEach((index, position) => perOperation[index]?.push(stats[position] as LatencyStats));
  }
  return operations.map((operation, index) => {
    const timed = perOperation[index] as LatencyStats[];
    return { name: operation.name, rounds: timed, p50: medianOf(timed.map((stats) => stats.p50)) };
  });
}

/** A measured operation and the baseline it is compared with. */
export interface ComparedPair {
  /** The row label. */
  name: string;
  /** Ours. */
  subject: TimedOperation;
  /** What it is compared with. */
  baseline: TimedOperation;
}

/** The timings of a compared pair, and their ratio. */
export interface PairTiming {
  /** The row label. */
  name: string;
  /** Ours. */
  subject: RoundedTiming;
  /** The baseline. */
  baseline: RoundedTiming;
  /** The median over rounds of our median divided by the baseline's median in the same round. */
  ratio: number;
}

/**
 * Times each pair with `timeInRounds`, the two sides back to back in every round, and takes their
 * ratio within each round.
 */
export async function comparePairs(
  pairs: readonly ComparedPair[],
  budget: TimingBudget,
  rounds: number,
): Promise<PairTiming[]> {
  const results: PairTiming[] = [];
  for (const pair of pairs) {
    const [subject, baseline] = (await timeInRounds(
      [pair.subject, pair.baseline],
      budget,
      rounds,
    )) as [RoundedTiming, RoundedTiming];
    const ratios = subject.rounds.map(
      (stats, round) => stats.p50 / (baseline.rounds[round] as LatencyStats).p50,
    );
    results.push({ name: pair.name, subject, baseline, ratio: medianOf(ratios) });
  }
  return results;
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function statsOf(task: Task): LatencyStats {
  const result = task.result;
  if (result.state !== 'completed') {
    const reason = result.state === 'errored' ? `: ${result.error.message}` : '';
    throw new Error(`Benchmark '${task.name}' ended ${result.state}${reason}`, {
      cause: result.state === 'errored' ? result.error : undefined,
    });
  }
  const { latency } = result;
  return {
    name: task.name,
    samples: latency.samplesCount,
    mean: latency.mean,
    p50: latency.p50,
    p99: latency.p99,
    rme: latency.rme,
  };
}
