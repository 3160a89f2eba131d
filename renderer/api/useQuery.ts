// Loading data from the core for a screen: loading, error and ready states, refetched when one of
// the named core events arrives (coalesced, so a burst of 500 events costs one or two calls).
// Only the answer to the latest request for the current input is ever shown.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { EventName, MethodInput, MethodName, MethodOutput } from '../../shared/contract';
import { call, errorText, subscribe } from './api';

export type QueryState<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly code: string; readonly message: string }
  | { readonly status: 'ready'; readonly value: T };

export interface Query<T> {
  readonly state: QueryState<T>;
  /** The last value for this input, kept while a refetch runs or after it failed. */
  readonly value: T | undefined;
  reload(): void;
}

export function useQuery<M extends MethodName>(
  method: M,
  input: MethodInput<M> | undefined,
  options: { readonly refreshOn?: readonly EventName[] } = {},
): Query<MethodOutput<M>> {
  const [state, setState] = useState<QueryState<MethodOutput<M>>>({ status: 'loading' });
  const [value, setValue] = useState<MethodOutput<M> | undefined>(undefined);
  const key = JSON.stringify(input ?? null);
  const refreshOn = (options.refreshOn ?? []).join(' ');
  // Per input: the request in flight, whether another was asked for meanwhile, and which request is latest.
  const latest = useRef(0);
  const inFlight = useRef(false);
  const again = useRef(false);
  const current = useRef<() => void>(() => undefined);

  const load = useCallback((): void => {
    if (input === undefined) return;
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    const request = ++latest.current;
    call(method, input)
      .then((v) => {
        if (request !== latest.current) return;
        setValue(() => v);
        setState({ status: 'ready', value: v });
      })
      .catch((error: unknown) => {
        if (request === latest.current) setState({ status: 'error', ...errorText(error) });
      })
      .finally(() => {
        if (request !== latest.current) return;
        inFlight.current = false;
        if (again.current) {
          again.current = false;
          current.current();
        }
      });
    // `key` stands for `input` (a fresh object on every render).
  }, [method, key]);

  useEffect(() => {
    current.current = load;
    // A new input starts afresh: nothing of the previous input's answers is shown or awaited.
    latest.current += 1;
    inFlight.current = false;
    again.current = false;
    setState({ status: 'loading' });
    setValue(undefined);
    load();
    const offs = refreshOn === '' ? [] : refreshOn.split(' ').map((event) => subscribe(event as EventName, () => current.current()));
    return () => {
      latest.current += 1;
      for (const off of offs) off();
    };
  }, [load, refreshOn]);

  return { state, value, reload: () => current.current() };
}
