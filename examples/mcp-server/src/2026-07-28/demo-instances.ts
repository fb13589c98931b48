import type { SharedCliOptions } from '../cli-options.js';
import { type Printer, shortenTaskIds } from '../print.js';
import { type ProvidedTable, provideTable } from '../storage.js';
import { connectTasksClient } from './client.js';
import { DEMO_SETTINGS } from './demo-run.js';
import { printTasksSummary, problemsOf, runTasksDemoStory } from './demo-story.js';
import type { FollowedTask } from './follow.js';
import { type ServerProcess, startServerProcess } from './instances.js';
import { type ProxiedRequest, type RoundRobinProxy, startRoundRobinProxy } from './proxy.js';
import { killWorkerMidTask, problemsOfLoss, type WorkerLoss } from './worker-loss.js';

/** The instances the demo starts. */
const INSTANCES = ['A', 'B'] as const;

/**
 * The 2026-07-28 demo on two server processes sharing one DynamoDB table behind a round-robin
 * proxy that ignores `Mcp-Name`: the story of the one-process demo, through the proxy, so a task's
 * follow-up requests land on either instance; then the instance running a task is killed with
 * SIGKILL and the survivor reads that task `failed` (lease lost). Every process is ended by pid.
 */
export async function runInstancesDemo(
  options: SharedCliOptions,
  print: Printer,
): Promise<string[]> {
  let table: ProvidedTable | undefined;
  const servers: ServerProcess[] = [];
  let proxy: RoundRobinProxy | undefined;
  try {
    print.heading('Starting DynamoDB, two server processes and a round-robin proxy');
    table = await provideTable({ ...options, log: (line) => print.line('demo', line) });
    print.line('demo', table.description);
    const { endpoint } = table;
    servers.push(
      ...(await Promise.all(
        INSTANCES.map((instance) =>
          startServerProcess({
            ...DEMO_SETTINGS,
            instance,
            stepMs: options.stepMs,
            endpoint,
            table: options.table,
            onLine: (line) =>
              print.line(instance, shortenTaskIds(line.replace(/^\S+ \[[^\]]+\] /, ''))),
          }),
        ),
      )),
    );
    for (const server of servers) {
      print.line(server.instance, `pid ${server.pid}, ${server.url.href}`);
    }
    proxy = await startRoundRobinProxy(
      servers.map((server) => ({ name: server.instance, url: server.url })),
    );
    print.line('proxy', `${proxy.url.href}: A, B, A, B... per request, Mcp-Name ignored`);

    const outcome = await runTasksDemoStory(proxy.url, print);
    print.heading('Which instance answered each task’s requests (the proxy’s log)');
    const routing = printRouting(outcome.runs, proxy.requests, print);

    print.heading('SIGKILL the instance running a task: the survivor reads it failed');
    const alice = await connectTasksClient(proxy.url, 'alice');
    let loss: WorkerLoss;
    try {
      loss = await killWorkerMidTask(alice, servers, DEMO_SETTINGS, print);
    } finally {
      await alice.close();
    }
    const passedOn = proxy.requests.filter((request) => request.refusedBy.length > 0);
    print.line(
      'proxy',
      `${passedOn.length} requests refused by ${loss.victim} (dead) were passed to the survivor`,
    );

    print.heading('Summary');
    print.detail('protocol     2026-07-28, the tasks extension, driven by the official client');
    print.detail(`storage      ${table.description}`);
    print.detail(
      `instances    ${servers.map((server) => `${server.instance} (pid ${server.pid})`).join(' and ')} behind a round-robin proxy`,
    );
    printTasksSummary(outcome, print);
    print.detail(
      `routing      ${routing.elsewhere} of ${routing.total} tasks/* requests answered by the instance not running the task`,
    );
    print.detail(
      `worker lost  ${loss.victim} killed mid-task; read ${loss.status} (${String(loss.error?.code)}) ${String(loss.elapsedMs)} ms later (bound ${loss.boundMs} ms)`,
    );
    print.detail(`time         ${print.elapsedSeconds().toFixed(1)} s`);
    const problems = [...problemsOf(outcome), ...problemsOfLoss(loss)];
    if (routing.elsewhere === 0) problems.push('no follow-up request reached the other instance');
    return problems;
  } finally {
    await proxy?.close();
    for (const server of servers) await server.stop();
    await table?.close();
    print.line('demo', 'proxy, servers and DynamoDB stopped');
  }
}

/**
 * Prints, for each task, where it ran and which instance answered its `tasks/*` requests; returns
 * how many were answered by an instance other than the one running the task, of how many.
 */
function printRouting(
  runs: readonly FollowedTask[],
  requests: readonly ProxiedRequest[],
  print: Printer,
): { elsewhere: number; total: number } {
  let elsewhere = 0;
  let total = 0;
  for (const run of runs) {
    const mine = requests.filter((request) => request.name === run.taskId);
    const worker = run.instances[0] ?? '?';
    const byInstance = new Map<string, Map<string, number>>();
    for (const request of mine) {
      const counts = byInstance.get(request.target) ?? new Map<string, number>();
      const method = request.method ?? '?';
      counts.set(method, (counts.get(method) ?? 0) + 1);
      byInstance.set(request.target, counts);
      if (request.target !== worker) elsewhere += 1;
    }
    total += mine.length;
    const answered = [...byInstance.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([target, counts]) => {
        const methods = [...counts.entries()].map(([method, n]) => `${method} ×${n}`);
        return `${target}: ${methods.join(', ')}`;
      });
    print.line(run.label, `ran on ${worker}; answered by ${answered.join('; ')}`);
  }
  return { elsewhere, total };
}
