/** How requests are bound to task owners; `McpTaskStore` and `McpTaskMessageQueue` take the same options. */
export interface McpOwnerOptions {
  /**
   * The owner of the tasks of a request made in session `sessionId` (default: the session itself,
   * so a task is found only from the session that created it). Map the session to the
   * authenticated user here to let a user reach their tasks from any session or server instance.
   */
  ownerOfSession?: (sessionId: string) => string;
  /**
   * The owner of the tasks of requests made without a session (stdio, stateless HTTP). Every such
   * caller shares it and so sees the others' tasks (default `DEFAULT_OWNER_WITHOUT_SESSION`).
   */
  ownerWithoutSession?: string;
}

/** The name of the shared owner of requests without a session, unless configured. */
export const DEFAULT_OWNER_WITHOUT_SESSION = 'shared';

/**
 * The three owner namespaces, so that no session id or `ownerOfSession` result can ever name the
 * owner of the calls without a session (or each other's): the store sees `session:{id}`,
 * `user:{ownerOfSession(id)}` and `no-session:{ownerWithoutSession}`.
 */
export const OWNER_NAMESPACES = {
  /** Before a session id, when there is no `ownerOfSession`. */
  session: 'session:',
  /** Before what `ownerOfSession` returns. */
  user: 'user:',
  /** Before `ownerWithoutSession`, for calls without a session. */
  noSession: 'no-session:',
} as const;

/** Maps the optional session id the SDK passes to the owner id the task store works with. */
export type OwnerResolver = (sessionId: string | undefined) => string;

/** The owner resolver the options describe; a `TypeError` for options of the wrong type. */
export function ownerResolver(options: McpOwnerOptions): OwnerResolver {
  const { ownerOfSession, ownerWithoutSession = DEFAULT_OWNER_WITHOUT_SESSION } = options;
  if (ownerOfSession !== undefined && typeof ownerOfSession !== 'function') {
    throw new TypeError('ownerOfSession must be a function');
  }
  if (typeof ownerWithoutSession !== 'string' || ownerWithoutSession.length === 0) {
    throw new TypeError('ownerWithoutSession must be a non-empty string');
  }
  const sessionless = `${OWNER_NAMESPACES.noSession}${ownerWithoutSession}`;
  return (sessionId) => {
    if (sessionId === undefined) return sessionless;
    if (ownerOfSession === undefined) return `${OWNER_NAMESPACES.session}${sessionId}`;
    const owner = ownerOfSession(sessionId);
    if (typeof owner !== 'string' || owner.length === 0) {
      throw new TypeError('ownerOfSession must return a non-empty string');
    }
    return `${OWNER_NAMESPACES.user}${owner}`;
  };
}
