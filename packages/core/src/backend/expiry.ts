/**
 * Reads the top-level `expiresAt` (ISO 8601) of a record's JSON text as epoch milliseconds.
 * Returns `undefined` when the record has no expiry or the text is not a JSON object with one.
 */
export function expiresAtOf(data: string): number | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const value = (parsed as Record<string, unknown>).expiresAt;
  if (typeof value !== 'string') return undefined;
  const millis = Date.parse(value);
  return Number.isNaN(millis) ? undefined : millis;
}

/** Whether a record expiring at `expiresAt` (epoch ms, or none) has expired at `now`. */
export function isExpired(expiresAt: number | undefined, now: number): boolean {
  return expiresAt !== undefined && expiresAt <= now;
}
