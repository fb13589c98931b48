/** A record as the backend holds it: parsed, frozen, with its version and exact text. */
export interface CachedRecord<R> {
  /** The parsed record, frozen: shared by every caller that reads it from the cache. */
  record: R;
  /** The version it was read or written at. */
  version: number;
  /** Its JSON text exactly as stored. */
  data: string;
}

/**
 * The last version of each record this process read or wrote, bounded in size (the entries
 * remembered longest ago go first; reading does not refresh an entry, so a hit costs one lookup). It is never an answer on its own: writes use it as the expected version
 * (a stale entry costs one failed conditional write, which returns the current record), and reads
 * use it only to skip parsing text the backend returned unchanged.
 */
export class RecordCache<R> {
  private readonly entries = new Map<string, CachedRecord<R>>();

  constructor(private readonly capacity: number) {}

  /** The entry for `key`. */
  get(key: string): CachedRecord<R> | undefined {
    return this.entries.get(key);
  }

  /** Remembers `entry` for `key`, dropping the least recently written entry when full. */
  set(key: string, entry: CachedRecord<R>): void {
    if (this.capacity === 0) return;
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  /** Forgets `key`. */
  delete(key: string): void {
    this.entries.delete(key);
  }
}
