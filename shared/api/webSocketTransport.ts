import type { EventName, MethodName } from '../contract';
import type { ApiTransport } from './fieldrunApi';
import { HOST_SUBPROTOCOL, tokenSubprotocol } from './hostProtocol';

/** The part of the browser's WebSocket the transport uses (injected: shared/ knows no DOM). */
export interface WebSocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close' | 'open' | 'error', listener: () => void): void;
}

export type WebSocketFactory = (url: string, protocols: string[]) => WebSocketLike;

export interface WebSocketTransport extends ApiTransport {
  readonly opened: Promise<void>;
  close(): void;
}

/** Browser mode's transport: calls and events over one WebSocket to the host. */
export function connectWebSocketTransport(url: string, token: string, open: WebSocketFactory): WebSocketTransport {
  const socket = open(url, [HOST_SUBPROTOCOL, tokenSubprotocol(token)]);
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let closed = false;

  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve());
    socket.addEventListener('error', () => reject(new Error('The connection to the Fieldrun host failed.')));
  });
  socket.addEventListener('close', () => {
    closed = true;
    for (const p of pending.values()) p.reject(new Error('The connection to the Fieldrun host closed.'));
    pending.clear();
  });
  socket.addEventListener('message', ({ data }) => {
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const m = message as { id?: unknown; result?: unknown; event?: unknown; payload?: unknown };
    if (typeof m.id === 'number') {
      pending.get(m.id)?.resolve(m.result);
      pending.delete(m.id);
    } else if (typeof m.event === 'string') {
      for (const listener of listeners.get(m.event) ?? []) listener(m.payload);
    }
  });

  return {
    opened,
    async call(method: MethodName, input: unknown) {
      await opened;
      if (closed) throw new Error('The connection to the Fieldrun host is closed.');
      const id = nextId++;
      return new Promise<unknown>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        socket.send(JSON.stringify({ id, method, input }));
      });
    },
    listen(event: EventName, listener: (payload: unknown) => void) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
    close() {
      socket.close(1000, 'page closed');
    },
  };
}
