import { isTerminalStatus, type InputRequests, type InputResponses } from './task.js';
import { InputKeyReusedError, InvalidTransitionError } from './task-errors.js';
import type { TaskRecord } from './task-record.js';

/**
 * The task asking for input: `requests` join the outstanding ones and the task moves to
 * `input_required`. Every key must be new over the task's whole life (`InputKeyReusedError`).
 */
export function withInputRequested(
  record: TaskRecord,
  requests: InputRequests,
  statusMessage: string | undefined,
): TaskRecord {
  if (isTerminalStatus(record.status)) {
    throw new InvalidTransitionError(
      record.taskId,
      record.status,
      'input_required',
      `Cannot request input: already in terminal status '${record.status}'`,
    );
  }
  const used = new Set(record.inputKeys ?? []);
  const reused = Object.keys(requests).filter((key) => used.has(key));
  if (reused.length > 0) throw new InputKeyReusedError(record.taskId, reused);
  return {
    ...record,
    status: 'input_required',
    ...(statusMessage === undefined ? {} : { statusMessage }),
    inputRequests: { ...record.inputRequests, ...requests },
    inputKeys: [...(record.inputKeys ?? []), ...Object.keys(requests)],
  };
}

/** What `withInputResponses` did: the task after it, and which keys it took or ignored. */
export interface InputResponsesOutcome {
  /** The task with the accepted responses stored; the same object when none was accepted. */
  record: TaskRecord;
  /** Keys answered now: they were outstanding. */
  accepted: string[];
  /** Keys ignored: never issued, already answered, or the task has ended. */
  ignored: string[];
}

/**
 * The task with the client's responses stored for the keys that are outstanding; the others are
 * ignored, as the spec says. Once no request is outstanding the task is `working` again, its
 * responses waiting for the worker to take them.
 */
export function withInputResponses(
  record: TaskRecord,
  responses: InputResponses,
): InputResponsesOutcome {
  const outstanding = isTerminalStatus(record.status) ? {} : (record.inputRequests ?? {});
  const keys = Object.keys(responses);
  const accepted = keys.filter((key) => Object.hasOwn(outstanding, key));
  const ignored = keys.filter((key) => !Object.hasOwn(outstanding, key));
  if (accepted.length === 0) return { record, accepted, ignored };
  const remaining = Object.fromEntries(
    Object.entries(outstanding).filter(([key]) => !accepted.includes(key)),
  );
  const answered = Object.fromEntries(
    accepted.map((key) => [key, responses[key]]),
  ) as InputResponses;
  const { inputRequests: _outstanding, ...rest } = record;
  const stillWaiting = Object.keys(remaining).length > 0;
  return {
    record: {
      ...rest,
      ...(stillWaiting ? { inputRequests: remaining } : {}),
      status: stillWaiting ? 'input_required' : 'working',
      inputResponses: { ...record.inputResponses, ...answered },
    },
    accepted,
    ignored,
  };
}

/**
 * The task with the responses for `keys` taken out (all stored ones when `keys` is absent), and
 * the responses taken. A key with no stored response is simply not in the result.
 */
export function withInputTaken(
  record: TaskRecord,
  keys: readonly string[] | undefined,
): { record: TaskRecord; taken: InputResponses } {
  const stored = record.inputResponses ?? {};
  const wanted = keys ?? Object.keys(stored);
  const taken = Object.fromEntries(
    wanted.filter((key) => Object.hasOwn(stored, key)).map((key) => [key, stored[key]]),
  ) as InputResponses;
  if (Object.keys(taken).length === 0) return { record, taken };
  const left = Object.fromEntries(
    Object.entries(stored).filter(([key]) => !Object.hasOwn(taken, key)),
  );
  const { inputResponses: _stored, ...rest } = record;
  return {
    record: Object.keys(left).length > 0 ? { ...rest, inputResponses: left } : rest,
    taken,
  };
}
