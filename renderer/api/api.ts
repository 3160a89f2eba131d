// The one API object of the page and the helpers every screen uses to call it. Calls answer
// `{ ok, value | error }`; `call` turns a refusal into a thrown UiError so that screens can keep
// their happy path straight and show the error (code and message) where it happened.
import type { FieldrunApi } from '../../shared/api/fieldrunApi';
import type { DispatchResult, EventName, EventPayload, MethodInput, MethodName, MethodOutput } from '../../shared/contract';
import type { AppErrorData } from '../../shared/errors';
import { connectApi } from '../connectApi';

export class UiError extends Error {
  readonly code: string;
  readonly details: unknown;
  constructor(error: AppErrorData) {
    super(error.message);
    this.name = 'UiError';
    this.code = error.code;
    this.details = error.details;
  }
}

let connected: FieldrunApi | { error: string } | undefined;

/** The API, or why there is none (browser mode opened without its token). */
export function getApi(): FieldrunApi | { error: string } {
  connected ??= connectApi();
  return connected;
}

/** For tests of components: use this API instead of the real one. */
export function setApiForTests(api: FieldrunApi): void {
  connected = api;
}

export async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const api = getApi();
  if ('error' in api) throw new UiError({ code: 'INTERNAL', message: api.error });
  // One generic signature for every method (TypeScript cannot correlate the union on its own).
  const invoke = api[method] as unknown as (input: MethodInput<M>) => Promise<DispatchResult<MethodOutput<M>>>;
  const answer = await invoke(input);
  if (!answer.ok) throw new UiError(answer.error);
  return answer.value;
}

/** The message to show for anything thrown by `call` (or by a bug). */
export function errorText(error: unknown): { code: string; message: string } {
  if (error instanceof UiError) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

/** Subscribes to a core event; answers the unsubscribe function (a no-op without an API). */
export function subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  const api = getApi();
  if ('error' in api) return () => undefined;
  return api.subscribe(event, listener);
}
