import { EVENT_NAMES, METHOD_NAMES } from '../contract';
import type { DispatchResult, EventName, EventPayload, MethodInput, MethodName, MethodOutput } from '../contract';

/** What the renderer holds: one function per contract method plus an allow-listed subscription. */
export type FieldrunApi = {
  readonly [M in MethodName]: (input: MethodInput<M>) => Promise<DispatchResult<MethodOutput<M>>>;
} & {
  readonly subscribe: <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) => () => void;
};

/** The two operations every transport offers (Electron IPC, WebSocket, in-process). */
export interface ApiTransport {
  call(method: MethodName, input: unknown): Promise<unknown>;
  listen(event: EventName, listener: (payload: unknown) => void): () => void;
}

/**
 * Builds the API from a transport: one frozen function per method of the contract (never a
 * generic invoke), and `subscribe` only for the contract's events. Answers that do not have the
 * `{ ok, value | error }` shape become an error, never a throw.
 */
export function buildFieldrunApi(transport: ApiTransport): FieldrunApi {
  const api: Record<string, unknown> = {};
  for (const method of METHOD_NAMES) {
    api[method] = Object.freeze(async (input: unknown): Promise<DispatchResult> => {
      try {
        return asDispatchResult(await transport.call(method, input));
      } catch {
        return transportFailure(method);
      }
    });
  }
  api['subscribe'] = Object.freeze((event: unknown, listener: unknown): (() => void) => {
    if (typeof event !== 'string' || !(EVENT_NAMES as readonly string[]).includes(event)) {
      throw new TypeError(`There is no event ${JSON.stringify(String(event)).slice(0, 80)} to subscribe to.`);
    }
    if (typeof listener !== 'function') throw new TypeError('subscribe needs a listener function.');
    const unsubscribe = transport.listen(event as EventName, (payload) => {
      (listener as (p: unknown) => void)(payload);
    });
    let done = false;
    return () => {
      if (!done) unsubscribe();
      done = true;
    };
  });
  return Object.freeze(api) as FieldrunApi;
}

function asDispatchResult(answer: unknown): DispatchResult {
  if (typeof answer === 'object' && answer !== null && 'ok' in answer) {
    const a = answer as { ok: unknown; value?: unknown; error?: unknown };
    if (a.ok === true) return { ok: true, value: a.value };
    if (a.ok === false && typeof a.error === 'object' && a.error !== null) return answer as DispatchResult;
  }
  return { ok: false, error: { code: 'INTERNAL', message: 'The core answered in an unexpected shape. Restart the app; if it happens again, export diagnostics.' } };
}

function transportFailure(method: string): DispatchResult {
  return {
    ok: false,
    error: { code: 'TRANSPORT_FAILED', message: `${method} did not reach the core (the connection to it is gone). Reload the page or restart the app.` },
  };
}
