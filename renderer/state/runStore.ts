// The run on screen: its folded state, journal head, outage-window status and plan, kept current
// from `runs.changed` events. Every screen of a run reads it from here, and every call that
// changes the run names `head.seq` as its expectSeq (the core refuses a stale one, and the store
// refetches so the technician decides on what is really there).
import { create } from 'zustand';
import type { MethodOutput } from '../../shared/contract';
import type { Plan } from '../../shared/plan';
import { call, errorText, subscribe } from '../api/api';

type RunView = MethodOutput<'runs.get'>;

export interface RunStore {
  readonly runId: string | undefined;
  readonly run: RunView | undefined;
  readonly plan: Plan | undefined;
  readonly status: 'idle' | 'loading' | 'ready' | 'error';
  readonly error: { code: string; message: string } | undefined;
  /** Opens a run (or none): loads it and follows its changes. */
  open(runId: string | undefined): void;
  /** Refetches now (after an action, or when a call was refused as stale). */
  refresh(): Promise<void>;
}

let unsubscribe: (() => void) | undefined;
// One fetch at a time; a request made meanwhile (a newer event, another run opened) is served by
// one more round when the current one ends, for whatever run is open then.
let fetching: Promise<void> | undefined;
let fetchAgain = false;

export const useRunStore = create<RunStore>()((set, get) => {
  const fetchOnce = async (runId: string): Promise<void> => {
    try {
      const run = await call('runs.get', { runId });
      if (get().runId !== runId) return;
      let plan = get().plan;
      if (plan === undefined || get().run?.state.planHash !== run.state.planHash) {
        const planHash = run.state.planHash;
        plan = planHash === undefined ? undefined : ((await call('plans.get', { hash: planHash })).document as Plan);
      }
      // An answer for a run no longer open, or older than what is shown, is dropped.
      if (get().runId !== runId || run.head.seq < (get().run?.head.seq ?? -1)) return;
      set({ run, plan, status: 'ready', error: undefined });
    } catch (error) {
      if (get().runId === runId) set({ status: get().run === undefined ? 'error' : 'ready', error: errorText(error) });
    }
  };

  const fetchRun = (): Promise<void> => {
    if (fetching !== undefined) {
      fetchAgain = true;
      return fetching;
    }
    fetching = (async () => {
      try {
        do {
          fetchAgain = false;
          const runId = get().runId;
          if (runId !== undefined) await fetchOnce(runId);
        } while (fetchAgain);
      } finally {
        fetching = undefined;
      }
    })();
    return fetching;
  };

  return {
    runId: undefined,
    run: undefined,
    plan: undefined,
    status: 'idle',
    error: undefined,
    open(runId) {
      if (runId === get().runId) return;
      unsubscribe?.();
      unsubscribe = undefined;
      set({ runId, run: undefined, plan: undefined, status: runId === undefined ? 'idle' : 'loading', error: undefined });
      if (runId === undefined) return;
      unsubscribe = subscribe('runs.changed', (event) => {
        if (event.runId === get().runId && event.seq > (get().run?.head.seq ?? -1)) void fetchRun();
      });
      void fetchRun();
    },
    refresh: fetchRun,
  };
});

/** The journal position to name in the next call that changes the run. */
export function expectSeq(): number {
  return useRunStore.getState().run?.head.seq ?? 0;
}
