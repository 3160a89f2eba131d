import type { IncomingMessage } from 'node:http';
import { HOST_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX } from '../../shared/api/hostProtocol';
import { tokenMatches } from './accessToken';

/**
 * The Host header must name the loopback address we listen on: a page on another site that
 * resolves its own name to 127.0.0.1 (DNS rebinding) sends its own name and is refused.
 */
export function hostHeaderAllowed(request: IncomingMessage, ownHost: string): boolean {
  return request.headers.host === ownHost;
}

/** Only pages served by this host may open the WebSocket; other sites and header-less clients may not. */
export function originAllowed(request: IncomingMessage, ownOrigin: string): boolean {
  return request.headers.origin === ownOrigin;
}

export type UpgradeVerdict = { ok: true } | { ok: false; status: 400 | 401 | 403; reason: string };

export function checkUpgrade(request: IncomingMessage, own: { host: string; origin: string; token: string }): UpgradeVerdict {
  if (!hostHeaderAllowed(request, own.host)) return { ok: false, status: 403, reason: 'wrong Host header' };
  if (!originAllowed(request, own.origin)) return { ok: false, status: 403, reason: 'foreign or missing Origin' };
  const protocols = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  if (!protocols.includes(HOST_SUBPROTOCOL)) return { ok: false, status: 400, reason: `subprotocol ${HOST_SUBPROTOCOL} required` };
  const presented = protocols.find((p) => p.startsWith(TOKEN_SUBPROTOCOL_PREFIX))?.slice(TOKEN_SUBPROTOCOL_PREFIX.length) ?? '';
  if (!tokenMatches(own.token, presented)) return { ok: false, status: 401, reason: 'wrong or missing access token' };
  return { ok: true };
}
