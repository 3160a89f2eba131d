import { z } from 'zod';
import type { JournalEvent } from './journalChain';

/** A run's state is a fold over its journal: a restart rebuilds exactly what was recorded. */
export function foldJournal<S>(events: Iterable<JournalEvent>, initial: S, reduce: (state: S, event: JournalEvent) => S): S {
  let state = initial;
  for (const event of events) state = reduce(state, event);
  return state;
}

export const RUN_PHASES = ['prepare', 'baseline', 'deploy', 'handover', 'report'] as const;
export type RunPhase = (typeof RUN_PHASES)[number];

/** Event types this reducer does not know yet, by type: kept, never an error. */
export interface UnhandledEvents {
  readonly type: string;
  readonly count: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
}

export interface RunState {
  readonly runId: string | undefined;
  readonly planHash: string | undefined;
  readonly label: string | null;
  readonly createdAt: string | undefined;
  /** `undefined` until `run.created` has been seen. */
  readonly phase: RunPhase | undefined;
  readonly phaseChanges: readonly { readonly phase: RunPhase; readonly seq: number; readonly timeUtc: string }[];
  readonly headSeq: number;
  readonly headHash: string | undefined;
  readonly unhandled: readonly UnhandledEvents[];
  /** Events of a known type whose payload did not fit: recorded, not thrown, so a run still loads. */
  readonly anomalies: readonly { readonly seq: number; readonly type: string; readonly problem: string }[];
}

export const INITIAL_RUN_STATE: RunState = {
  runId: undefined,
  planHash: undefined,
  label: null,
  createdAt: undefined,
  phase: undefined,
  phaseChanges: [],
  headSeq: 0,
  headHash: undefined,
  unhandled: [],
  anomalies: [],
};

export type EventHandler<S> = (state: S, event: JournalEvent) => S;

const RunCreatedPayload = z.object({
  planHash: z.string().regex(/^[0-9a-f]{64}$/),
  label: z.string().nullable().optional(),
});
const RunPhasePayload = z.object({ phase: z.enum(RUN_PHASES) });

/** The event types known today; the runner adds its own by spreading this record. */
export const runEventHandlers: Readonly<Record<string, EventHandler<RunState>>> = {
  'run.created': (state, event) => {
    const payload = RunCreatedPayload.safeParse(event.payload);
    if (!payload.success) return withAnomaly(state, event, payload.error.issues[0]?.message ?? 'bad payload');
    return { ...state, runId: event.runId, planHash: payload.data.planHash, label: payload.data.label ?? null, createdAt: event.timeUtc, phase: 'prepare' };
  },
  'run.phase': (state, event) => {
    const payload = RunPhasePayload.safeParse(event.payload);
    if (!payload.success) return withAnomaly(state, event, payload.error.issues[0]?.message ?? 'bad payload');
    const change = { phase: payload.data.phase, seq: event.seq, timeUtc: event.timeUtc };
    return { ...state, phase: payload.data.phase, phaseChanges: [...state.phaseChanges, change] };
  },
};

/** Builds a run reducer from handlers; every event moves the head, unknown types are counted. */
export function createRunReducer(handlers: Readonly<Record<string, EventHandler<RunState>>> = runEventHandlers): EventHandler<RunState> {
  return (state, event) => {
    const handler = Object.hasOwn(handlers, event.type) ? handlers[event.type] : undefined;
    const next = handler === undefined ? withUnhandled(state, event) : handler(state, event);
    return { ...next, headSeq: event.seq, headHash: event.hash };
  };
}

export const reduceRunState: EventHandler<RunState> = createRunReducer();

export const foldRunState = (events: Iterable<JournalEvent>): RunState => foldJournal(events, INITIAL_RUN_STATE, reduceRunState);

function withUnhandled(state: RunState, event: JournalEvent): RunState {
  const known = state.unhandled.find((u) => u.type === event.type);
  const unhandled =
    known === undefined
      ? [...state.unhandled, { type: event.type, count: 1, firstSeq: event.seq, lastSeq: event.seq }]
      : state.unhandled.map((u) => (u === known ? { ...u, count: u.count + 1, lastSeq: event.seq } : u));
  return { ...state, unhandled };
}

function withAnomaly(state: RunState, event: JournalEvent, problem: string): RunState {
  return { ...state, anomalies: [...state.anomalies, { seq: event.seq, type: event.type, problem }] };
}
