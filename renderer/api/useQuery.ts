// Loading data from the core for a screen: loading, error and ready states, refetched when one of
// the named core events arrives (coalesced, so a burst of 500 events costs one or two calls).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { EventName, MethodInput, MethodName, MethodOutput } from '../../shared/contract';
import { call, errorText, subscribe } from './api';

export type QueryState<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly code: string; readonly message: string }
  | { readonly status: 'ready'; readonly value: T };

export interface Query<T> {
  readonly state: QueryState<T>;
  /** The last value, kept while a refetch runs or after it failed. */
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
  const inFlight = useRef(false);
  const again = useRef(false);
  const alive = useRef(true);

  const load = useCallback((): void => {
    if (input === undefined) return;
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    call(method, input)
      .then((v) => {
        if (!alive.current) return;
        setValue(() => v);
        setState({ status: 'ready', value: v });
      })
      .catch((error: unknown) => {
        if (alive.current) setState({ status: 'error', ...errorText(error) });
      })
      .finally(() => {
        inFlight.current = false;
        if (again.current && alive.current) {
          again.current = false;
          load();
        }
      });
    // `key` stands for `input` (a fresh object on every render)
  }, [method, key]);

  useEffect(() => {
    alive.current = true;
    load();
    const offs = (options.refreshOn ?? []).map((event) => subscribe(event, () => load()));
    return () => {
      alive.current = false;
      for (const off of offs) off();
    };
    // the events are named once per screen
  }, [load]);

  return { state, value, reload: load };
}
