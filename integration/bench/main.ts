import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDynamoDbLocal } from '@tasks/dynamodb-local';
import { openDynamoDbFixture } from './dynamodb-fixture.js';
import { describeMachine, machineLine } from './machine.js';
import { measureBaselinePut } from './parts/baseline-put.js';
import { measureContention } from './parts/contention.js';
import { measureInMemory } from './parts/in-memory.js';
import { measureListing } from './parts/listing.js';
import { measureOverhead } from './parts/overhead.js';
import { measureRequestsPerOperation } from './parts/requests.js';
import { measureStoreCost } from './parts/store-cost.js';
import { measureTasksHttp } from './parts/tasks-http.js';
import { type PartReport, renderPart, writeRawResults } from './report.js';

/** Where the raw JSON goes: `integration/bench-results/` (git-ignored). */
const RESULTS_DIRECTORY = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'bench-results',
);

async function main(): Promise<void> {
  const startedAt = new Date();
  const machine = describeMachine();
  console.log('# Benchmarks\n');
  console.log(`Machine: ${machineLine(machine)}`);
  const dynamoDb = await startDynamoDbLocal({ log: (line) => console.error(line) });
  console.log(`DynamoDB: ${dynamoDb.description}\n`);
  const parts: PartReport[] = [];
  const report = (part: PartReport) => {
    parts.push(part);
    console.log(`${renderPart(part)}\n`);
  };
  try {
    const db = await openDynamoDbFixture(dynamoDb.endpoint, startedAt);
    try {
      report(await measureRequestsPerOperation(db));
      report(await measureOverhead(db));
      report(await measureBaselinePut(db));
      report(await measureInMemory());
      report(await measureContention(db));
      report(await measureListing(db));
      report(await measureStoreCost(db));
      report(await measureTasksHttp(db));
    } finally {
      await db.close();
    }
  } finally {
    await dynamoDb.stop();
  }
  const wallSeconds = (Date.now() - startedAt.getTime()) / 1000;
  const file = await writeRawResults(RESULTS_DIRECTORY, startedAt, {
    startedAt: startedAt.toISOString(),
    wallSeconds,
    machine,
    dynamoDb: { source: dynamoDb.source, description: dynamoDb.description },
    parts: parts.map(({ title, raw }) => ({ title, raw })),
  });
  console.log(`Raw figures: ${file}`);
  console.log(`Wall time: ${wallSeconds.toFixed(0)} s`);
}

await main();
