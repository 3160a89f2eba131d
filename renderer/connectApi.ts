import { buildFieldrunApi, type FieldrunApi } from '../shared/api/fieldrunApi';
import { HOST_API_PATH } from '../shared/api/hostProtocol';
import { connectWebSocketTransport } from '../shared/api/webSocketTransport';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode. */
    readonly fieldrun?: FieldrunApi;
  }
}

/**
 * The API, whichever way the page runs: the preload's bridge in Electron, or the host's
 * WebSocket in browser mode (token from the URL fragment, then removed from the address bar).
 */
export function connectApi(): FieldrunApi | { error: string } {
  if (window.fieldrun !== undefined) return window.fieldrun;
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (token === null || token === '') return { error: 'This page needs the address the Fieldrun host printed, with its #token=… part. Copy it again from the terminal.' };
  history.replaceState(null, '', window.location.pathname);
  const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}${HOST_API_PATH}`;
  return buildFieldrunApi(connectWebSocketTransport(url, token, (u, protocols) => new WebSocket(u, protocols)));
}
