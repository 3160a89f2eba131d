import { describe, expect, test } from 'vitest';
import {
  computeEventHash,
  createRunReducer,
  foldJournal,
  foldRunState,
  GENESIS_HASH,
  INITIAL_RUN_STATE,
  runEventHandlers,
  type JournalEvent,
} from '../../../electron/core/store';
import { seedRun } from './seed';
import { tempStore } from './support';

const PLAN = 'a'.repeat(64);

function chain(runId: string, events: readonly { type: string; payload: unknown }[]): JournalEvent[] {
  let prevHash = GENESIS_HASH(runId);
  return events.map(({ type, payload }, i) => {
    const unhashed = { runId, seq: i + 1, timeUtc: `2026-01-01T00:00:0${i}.000Z`, monoNs: String(i), type, payload, prevHash };
    const event = { ...unhashed, hash: computeEventHash(unhashed) };
    prevHash = event.hash;
    return event;
  });
}

describe('folding a journal into run state', () => {
  test('foldJournal applies the reducer in order', () => {
    const events = chain('r', [
      { type: 'a', payload: 1 },
      { type: 'b', payload: 2 },
    ]);
    expect(foldJournal(events, '', (text, e) => `${text}${e.type}${String(e.payload)}`)).toBe('a1b2');
  });

  test('run.created and run.phase give the run its plan and phase', () => {
    const events = chain('r', [
      { type: 'run.created', payload: { planHash: PLAN, label: 'night' } },
      { type: 'run.phase', payload: { phase: 'baseline' } },
      { type: 'run.phase', payload: { phase: 'deploy' } },
    ]);
    expect(foldRunState(events)).toMatchObject({
      runId: 'r',
      planHash: PLAN,
      label: 'night',
      createdAt: '2026-01-01T00:00:00.000Z',
      phase: 'deploy',
      phaseChanges: [
        { phase: 'baseline', seq: 2 },
        { phase: 'deploy', seq: 3 },
      ],
      headSeq: 3,
      headHash: events[2]!.hash,
      unhandled: [],
      anomalies: [],
    });
  });

  test('unknown event types are counted, never thrown; a bad payload of a known type is an anomaly', () => {
    const events = chain('r', [
      { type: 'run.created', payload: { planHash: PLAN } },
      { type: 'step.started', payload: { step: 'deploy-web' } },
      { type: 'run.phase', payload: { phase: 'teleport' } },
      { type: 'step.started', payload: { step: 'deploy-db' } },
      { type: 'toString', payload: null },
    ]);
    const state = foldRunState(events);
    expect(state.phase).toBe('prepare');
    expect(state.unhandled).toEqual([
      { type: 'step.started', count: 2, firstSeq: 2, lastSeq: 4 },
      { type: 'toString', count: 1, firstSeq: 5, lastSeq: 5 },
    ]);
    expect(state.anomalies).toEqual([{ seq: 3, type: 'run.phase', problem: expect.any(String) }]);
    expect(state.headSeq).toBe(5);
  });

  test('the reducer extends with more handlers without touching the existing ones', () => {
    const reduce = createRunReducer({
      ...runEventHandlers,
      'step.started': (state) => ({ ...state, label: 'deploying' }),
    });
    const events = chain('r', [
      { type: 'run.created', payload: { planHash: PLAN } },
      { type: 'step.started', payload: {} },
    ]);
    expect(foldJournal(events, INITIAL_RUN_STATE, reduce)).toMatchObject({ phase: 'prepare', label: 'deploying', unhandled: [] });
  });

  test('state folds from the stored journal, read in batches', () => {
    const store = tempStore();
    const runId = seedRun(store);
    store.journal.append(runId, { type: 'run.phase', payload: { phase: 'baseline' } });
    store.journal.append(runId, { type: 'check.passed', payload: { check: 'os' } });
    expect(foldRunState(store.journal.events(runId))).toMatchObject({ runId, phase: 'baseline', headSeq: 3, unhandled: [{ type: 'check.passed', count: 1 }] });
  });
});
