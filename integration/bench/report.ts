import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type MarkdownTable, renderTable } from './markdown.js';

/** What one part of the benchmark produced. */
export interface PartReport {
  /** The section heading, for example `1. Requests per operation (DynamoDB)`. */
  title: string;
  /** What was measured and how, printed above the table. */
  method: string;
  /** The results. */
  table: MarkdownTable;
  /** Observations printed below the table (can be empty). */
  notes: string[];
  /** Every figure behind the table, for the JSON file. */
  raw: unknown;
}

/** The part as a markdown section: heading, method, table, notes. */
export function renderPart(part: PartReport): string {
  const notes = part.notes.map((note) => `- ${note}`).join('\n');
  return [`## ${part.title}`, part.method, renderTable(part.table), notes]
    .filter((block) => block.length > 0)
    .join('\n\n');
}

/**
 * Writes `results` as indented JSON to `bench-<timestamp>.json` in `directory` (created when
 * missing) and returns the file's absolute path.
 */
export async function writeRawResults(
  directory: string,
  startedAt: Date,
  results: unknown,
): Promise<string> {
  await mkdir(directory, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const file = path.resolve(directory, `bench-${stamp}.json`);
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`, 'utf8');
  return file;
}
