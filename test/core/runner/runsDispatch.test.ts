import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DispatchResult } from '../../../shared/contract';
import { createCore, type Core } from '../../../electron/core/core';
import { call, EXAMPLE_PLAN_DIR, mkdtempSync, removeTempDirs, stateOf } from './runLab';

// The runs.* contract through dispatch, on a real SQLite data folder, for what needs no host:
// journal positions, phases, refusals, secrets kept out of the journal, change events after commit.

let core: Core;
let runId: string;
const changes: Array<{ runId: string; seq: number; headAtEmit: number }> = [];

beforeEach(async () => {
  core = createCore({ dataDir: mkdtempSync(join(tmpdir(), 'fieldrun-runs-dispatch-')), strictOutputs: true });
  changes.length = 0;
  core.events.subscribe((name, payload) => {
    if (name !== 'runs.changed') return;
    const { runId: id, seq } = payload as { runId: string; seq: number };
    changes.push({ runId: id, seq, headAtEmit: core.store.journal.head(id).seq });
  });
  const { plan } = await call(core, 'plans.import', { source: { kind: 'path', path: EXAMPLE_PLAN_DIR }, acknowledgeUntrusted: { note: 'the example plan' } });
  ({ runId } = await call(core, 'runs.create', { planHash: plan.hash, label: 'dispatch' }));
});

afterEach(() => {
  core.close();
  removeTempDirs();
});

const codeOf = (result: DispatchResult): string => (result.ok ? 'ok' : result.error.code);

describe('runs through dispatch', () => {
  it('creates a run in the prepare phase and lists it', async () => {
    const { state, seq } = await stateOf(core, runId);
    expect(state).toMatchObject({ runId, phase: 'prepare', label: 'dispatch', headSeq: 1 });
    expect(seq).toBe(1);
    const { runs } = await call(core, 'runs.list', {});
    expect(runs).toEqual([expect.objectContaining({ runId, phase: 'prepare', headSeq: 1 })]);
  });

  it('refuses a call naming an old journal position, and changes nothing', async () => {
    await call(core, 'runs.checklist.tick', { runId, expectSeq: 1, itemId: 'backup-confirmed', note: 'report of 02:00 seen' });
    const stale = await core.dispatch('runs.checklist.tick', { runId, expectSeq: 1, itemId: 'outage-agreed' });
    expect(codeOf(stale)).toBe('JOURNAL_POSITION_STALE');
    const { state } = await stateOf(core, runId);
    expect(Object.keys(state.checklist)).toEqual(['backup-confirmed']);
    expect(state.checklist['backup-confirmed']?.note).toBe('report of 02:00 seen');
  });

  it('tells subscribers only after the events are committed', async () => {
    await call(core, 'runs.checklist.tick', { runId, expectSeq: 1, itemId: 'backup-confirmed' });
    expect(changes).toContainEqual({ runId, seq: 2, headAtEmit: 2 });
  });

  it('refuses what the phase or the plan does not allow', async () => {
    expect(codeOf(await core.dispatch('runs.checklist.tick', { runId, expectSeq: 1, itemId: 'no-such-item' }))).toBe('INPUT_INVALID');
    expect(codeOf(await core.dispatch('runs.baseline.run', { runId, expectSeq: 1 }))).toBe('CHECKLIST_INCOMPLETE');
    expect(codeOf(await core.dispatch('runs.deploy.start', { runId, expectSeq: 1 }))).toBe('RUN_PHASE_WRONG');
    expect(codeOf(await core.dispatch('runs.baseline.waive', { runId, expectSeq: 1, checkId: 'os-supported', host: 'web1', reason: 'x' }))).toBe('RUN_PHASE_WRONG');
    expect(codeOf(await core.dispatch('runs.answer', { runId, expectSeq: 1, questionId: 'q1', answer: { kind: 'manual', done: true } }))).toBe('QUESTION_NOT_OPEN');
    expect(codeOf(await core.dispatch('runs.get', { runId: 'no-such-run' }))).toBe('RUN_NOT_FOUND');
    expect(codeOf(await core.dispatch('runs.baseline.waive', { runId, expectSeq: 1, checkId: 'os-supported', host: 'web1', reason: '   ' }))).toBe('INPUT_INVALID');
    expect(codeOf(await core.dispatch('runs.answer', { runId, expectSeq: 1, questionId: 'q1', answer: { kind: 'failure', decision: 'ignore' } }))).toBe('INPUT_INVALID');
  });

  it('keeps secret values in memory: the journal says a value was given, never what it is', async () => {
    expect(codeOf(await core.dispatch('runs.secrets.provide', { runId, values: { not_a_variable: 'x' } }))).toBe('INPUT_INVALID');
    expect(codeOf(await core.dispatch('runs.secrets.provide', { runId, values: { shop_release: '9.9' } }))).toBe('INPUT_INVALID');
    await call(core, 'runs.secrets.provide', { runId, values: { db_password: 'hunter2-value', 'sudo@db1': 'sudo-value' } });
    const { state } = await stateOf(core, runId);
    expect(state.secretsProvided).toEqual(['db_password', 'sudo@db1']);
    const raw = core.store.db.prepare('SELECT group_concat(payload) AS all_payloads FROM journal').get() as { all_payloads: string };
    expect(raw.all_payloads).not.toContain('hunter2-value');
    expect(raw.all_payloads).not.toContain('sudo-value');
  });

  it('aborts with a reason, after which nothing more can be started', async () => {
    await call(core, 'runs.abort', { runId, expectSeq: 1, reason: 'The client cancelled the window.' });
    const { state, seq } = await stateOf(core, runId);
    expect(state).toMatchObject({ phase: 'aborted', abortReason: 'The client cancelled the window.' });
    expect(codeOf(await core.dispatch('runs.checklist.tick', { runId, expectSeq: seq, itemId: 'backup-confirmed' }))).toBe('RUN_PHASE_WRONG');
  });
});
