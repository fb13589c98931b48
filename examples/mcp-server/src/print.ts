/** Width the tags of story lines are padded to. */
const TAG_WIDTH = 8;

/** Writes the demo's story: headings, tagged lines and indented details. */
export class Printer {
  private readonly started = Date.now();

  constructor(private readonly write: (line: string) => void = (line) => console.log(line)) {}

  /** A section heading. */
  heading(title: string): void {
    this.write('');
    this.write(`== ${title}`);
  }

  /** A line of the actor `tag` (a task label, `client`, `server`), with the elapsed time. */
  line(tag: string, text: string): void {
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1).padStart(5);
    this.write(`${seconds}s  [${tag.padEnd(TAG_WIDTH)}] ${text}`);
  }

  /** An indented line without tag, for tables and summaries. */
  detail(text: string): void {
    this.write(`    ${text}`);
  }

  /** Seconds since the printer was created. */
  elapsedSeconds(): number {
    return (Date.now() - this.started) / 1000;
  }
}

/** A task id shortened for display: its last eight characters (the first twelve encode the time). */
export function shortId(taskId: string): string {
  return taskId.length <= 8 ? taskId : `…${taskId.slice(-8)}`;
}

/** `text` with every task id in it (48 hex digits) shortened as `shortId` does. */
export function shortenTaskIds(text: string): string {
  return text.replace(/\b[0-9a-f]{48}\b/g, (taskId) => shortId(taskId));
}

/** A duration in ms, readable: `500 ms`, `10 min`, `1 h`. */
export function duration(ms: number | null | undefined): string {
  if (ms === null) return 'unlimited';
  if (ms === undefined) return 'unset';
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}
