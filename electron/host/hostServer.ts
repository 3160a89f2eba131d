import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { DispatchResult, EventName } from '../../shared/contract';
import { CLOSE_CODES, HOST_API_PATH, HOST_SUBPROTOCOL, MAX_CALLS_IN_FLIGHT, MAX_MESSAGE_BYTES } from '../../shared/api/hostProtocol';
import { newAccessToken } from './accessToken';
import { checkUpgrade, hostHeaderAllowed } from './requestChecks';
import { serveRendererFile } from './staticFiles';
import { parseCallMessage } from './wireMessages';

export interface HostCore {
  dispatch(method: unknown, input: unknown): Promise<DispatchResult>;
  readonly events: { subscribe(listener: (name: EventName, payload: unknown) => void): () => void };
}

export interface HostOptions {
  readonly core: HostCore;
  /** The built renderer (index.html and its assets). */
  readonly rendererDir: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Tests pass one; otherwise a fresh 256-bit token is made. */
  readonly token?: string;
  /** Told of refused upgrades and closed sockets (never with the token). */
  readonly onRefused?: (reason: string) => void;
}

export interface RunningHost {
  readonly port: number;
  readonly origin: string;
  readonly token: string;
  /** What the technician opens: the token rides in the fragment, which browsers never send. */
  readonly url: string;
  close(): Promise<void>;
}

/** Browser mode: the core behind a loopback WebSocket, and the renderer as static files. */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const token = options.token ?? newAccessToken();
  const server = createServer();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, handleProtocols: () => HOST_SUBPROTOCOL });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = `127.0.0.1:${port}`;
  const origin = `http://${host}`;

  server.on('request', (request, response) => {
    if (!hostHeaderAllowed(request, host)) {
      response.writeHead(403, { 'Content-Type': 'text/plain' }).end('Forbidden\n');
      return;
    }
    serveRendererFile(request, response, options.rendererDir, `ws://${host}`);
  });

  server.on('upgrade', (request, socket, head) => {
    const path = (request.url ?? '').split('?', 1)[0];
    const verdict = path === HOST_API_PATH ? checkUpgrade(request, { host, origin, token }) : ({ ok: false, status: 400, reason: 'unknown path' } as const);
    if (!verdict.ok) {
      options.onRefused?.(verdict.reason);
      socket.end(`HTTP/1.1 ${verdict.status} ${verdict.status === 401 ? 'Unauthorized' : verdict.status === 403 ? 'Forbidden' : 'Bad Request'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => servePage(ws, options));
  });

  return {
    port,
    origin,
    token,
    url: `${origin}/#token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.close(CLOSE_CODES.hostClosing, 'host closing');
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function servePage(ws: WebSocket, options: HostOptions): void {
  let inFlight = 0;
  const send = (message: unknown): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const unsubscribe = options.core.events.subscribe((event, payload) => send({ event, payload }));
  ws.on('close', unsubscribe);
  ws.on('error', () => ws.terminate());
  ws.on('message', (raw, isBinary) => {
    const parsed = parseCallMessage(raw, isBinary);
    if (!parsed.ok) {
      options.onRefused?.(`bad message: ${parsed.reason}`);
      ws.close(CLOSE_CODES.badMessage, `bad message: ${parsed.reason}`);
      return;
    }
    if (inFlight >= MAX_CALLS_IN_FLIGHT) {
      ws.close(CLOSE_CODES.tooManyCalls, 'too many calls in flight');
      return;
    }
    inFlight += 1;
    const { id, method, input } = parsed.call;
    // dispatch never throws; the catch is for a bug in it, which must not take the host down.
    options.core
      .dispatch(method, input)
      .catch((): DispatchResult => ({ ok: false, error: { code: 'INTERNAL', message: `${method} failed unexpectedly. Reload the page; if it happens again, export diagnostics.` } }))
      .then((result) => send({ id, result }))
      .finally(() => {
        inFlight -= 1;
      });
  });
}
