import { type AuthInfo, ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';

/** How tasks are bound to owners in a stateless protocol: by the request's authentication. */
export interface TaskOwnerOptions {
  /**
   * The owner of an authenticated request's tasks (default: `authInfo.extra.subject` or
   * `authInfo.extra.sub` when a string, else `authInfo.clientId`). Return `undefined` to treat the
   * request as unauthenticated.
   */
  ownerOf?: (authInfo: AuthInfo) => string | undefined;
  /**
   * What an unauthenticated request gets: `'refuse'` (default: `-32600`, authentication required), or
   * one shared owner for every such caller, `{ sharedOwner: 'anonymous' }`. Sharing is safe only
   * because task ids carry 128 unguessable bits and 2026-07-28 has no `tasks/list` that could leak
   * them: whoever holds a task id can read, answer and cancel that task.
   */
  unauthenticated?: 'refuse' | SharedOwner;
}

/** The one owner every unauthenticated caller shares. */
export interface SharedOwner {
  /** Its name (stored as `anonymous:{sharedOwner}`, apart from every authenticated owner). */
  sharedOwner: string;
}

/** Owners of authenticated callers and the shared unauthenticated owner never meet. */
const AUTHENTICATED_PREFIX = 'auth:';
const SHARED_PREFIX = 'anonymous:';

/** Maps a request's auth info to the owner id the store works with. */
export type OwnerResolver = (authInfo: AuthInfo | undefined) => string;

/** The owner resolver the options describe; `TypeError` for options of the wrong shape. */
export function ownerResolver(options: TaskOwnerOptions): OwnerResolver {
  const { ownerOf = defaultOwnerOf, unauthenticated = 'refuse' } = options;
  if (typeof ownerOf !== 'function') throw new TypeError('ownerOf must be a function');
  if (
    unauthenticated !== 'refuse' &&
    (typeof unauthenticated !== 'object' ||
      typeof unauthenticated?.sharedOwner !== 'string' ||
      unauthenticated.sharedOwner === '')
  ) {
    throw new TypeError("unauthenticated must be 'refuse' or { sharedOwner: a non-empty string }");
  }
  return (authInfo) => {
    const owner = authInfo === undefined ? undefined : ownerOf(authInfo);
    if (typeof owner === 'string' && owner !== '') return `${AUTHENTICATED_PREFIX}${owner}`;
    if (unauthenticated === 'refuse') {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidRequest,
        'Authentication required for tasks',
      );
    }
    return `${SHARED_PREFIX}${unauthenticated.sharedOwner}`;
  };
}

/** The subject of the token (`extra.subject` or `extra.sub`), else the OAuth client id. */
export function defaultOwnerOf(authInfo: AuthInfo): string | undefined {
  const extra = authInfo.extra ?? {};
  for (const name of ['subject', 'sub']) {
    const value = extra[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return authInfo.clientId === '' ? undefined : authInfo.clientId;
}
