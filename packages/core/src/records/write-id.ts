import { randomBytes } from 'node:crypto';

/** 64 random bits per process, so write ids of different processes never meet. */
const PROCESS_PART = randomBytes(8).toString('base64url');
let sequence = 0;

/** A write id unique across processes and time: the process's random part and a counter. */
export function newWriteId(): string {
  sequence += 1;
  return `${PROCESS_PART}.${sequence.toString(36)}`;
}
