// The browser-mode wire protocol, shared by the host and the page.
//   page → host: { id, method, input }
//   host → page: { id, result } (result is the dispatch result) and pushed { event, payload }
// The access token travels as a second WebSocket subprotocol, so it is checked before the
// upgrade is accepted and never appears in a URL the host could log.

export const HOST_SUBPROTOCOL = 'fieldrun.v1';
export const TOKEN_SUBPROTOCOL_PREFIX = 'fieldrun.token.';
export const HOST_API_PATH = '/api';

/** Largest message either side sends; bigger files go as chunked uploads. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** Calls a page may have in flight at once; beyond that it is misbehaving. */
export const MAX_CALLS_IN_FLIGHT = 64;

export const CLOSE_CODES = {
  /** The message was not JSON or not { id, method, input }. */
  badMessage: 4400,
  /** Too many calls in flight. */
  tooManyCalls: 4429,
  /** The host is shutting down. */
  hostClosing: 1001,
} as const;

export function tokenSubprotocol(token: string): string {
  return `${TOKEN_SUBPROTOCOL_PREFIX}${token}`;
}
