import type { FinalizeRequestMiddleware, MiddlewareStack } from '@smithy/types';

/** What the attempts of one request showed: whether any may have reached DynamoDB unanswered. */
export interface AttemptLog {
  /**
   * True when an attempt ended without an answer that proves it was not applied: a timeout, a
   * reset connection or a 5xx. A refused connection and a 4xx answer prove it was not.
   */
  ambiguous: boolean;
}

/**
 * Adds to one command's middleware stack, below the SDK's retry middleware, a step that watches
 * every attempt the SDK sends, and returns what it saw. A write whose attempts were all refused or
 * answered has a known outcome; one with an ambiguous attempt may have been applied.
 */
export function trackAttempts<Input extends object, Output extends object>(command: {
  middlewareStack: MiddlewareStack<Input, Output>;
}): AttemptLog {
  const log: AttemptLog = { ambiguous: false };
  const tracker: FinalizeRequestMiddleware<Input, Output> = (next) => async (args) => {
    try {
      return await next(args);
    } catch (error) {
      if (isAmbiguousFailure(error)) log.ambiguous = true;
      throw error;
    }
  };
  command.middlewareStack.add(tracker, { step: 'finalizeRequest', priority: 'low' });
  return log;
}

/** Whether a failed attempt may have been applied: no answer at all, or a server error. */
export function isAmbiguousFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return true;
  const { $metadata, code } = error as {
    $metadata?: { httpStatusCode?: number };
    code?: unknown;
  };
  const status = $metadata?.httpStatusCode;
  if (typeof status === 'number') return status >= 500;
  return code !== 'ECONNREFUSED';
}
