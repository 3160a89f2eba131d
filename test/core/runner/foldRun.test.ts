import { describe, expect, it } from 'vitest';
import { blockingQuestion, foldRun, unwaivedBaselineFailures, type RecordedEvent } from '../../../shared/run';

const HASH = 'a'.repeat(64);

function journal(...events: Array<[string, unknown]>): RecordedEvent[] {
  return events.map(([type, payload], index) => ({ runId: 'r1', seq: index + 1, timeUtc: `2026-01-01T00:00:${String(index).padStart(2, '0')}Z`, type, payload, hash: `h${index + 1}` }));
}

describe('foldRun', () => {
  it('keeps the journal times of the latest attempt of a step and of a check, and forgets the end when a retry starts', () => {
    const state = foldRun(
      journal(
        ['run.created', { planHash: HASH }],
        ['baseline.started', { checkId: 'disk', host: 'web1' }],
        ['baseline.result', { checkId: 'disk', host: 'web1', status: 'pass', expected: 'x', found: 'x', summary: 's', command: 'c', exitCode: 0, stdoutExcerpt: '', stderrExcerpt: '', durationMs: 3 }],
        ['step.started', { stepId: 'a', host: 'h', attempt: 1, execId: 'e1', action: 'run' }],
        ['step.ended', { stepId: 'a', host: 'h', attempt: 1, outcome: { kind: 'exited', code: 1 } }],
        ['step.started', { stepId: 'a', host: 'h', attempt: 2, execId: 'e2', action: 'run' }],
      ),
    );
    expect(state.baseline['disk@web1']).toMatchObject({ startedAt: '2026-01-01T00:00:01Z', endedAt: '2026-01-01T00:00:02Z' });
    expect(state.instances['a@h']?.startedAt).toBe('2026-01-01T00:00:05Z');
    expect(state.instances['a@h']?.endedAt).toBeUndefined();
  });

  it('walks a run from creation through checklist, baseline waiver and a retried step', () => {
    const state = foldRun(
      journal(
        ['run.created', { planHash: HASH }],
        ['checklist.ticked', { itemId: 'backup', note: 'seen the report' }],
        ['run.phase', { phase: 'baseline' }],
        ['baseline.started', { checkId: 'disk', host: 'web1' }],
        ['baseline.result', { checkId: 'disk', host: 'web1', status: 'fail', expected: 'x', found: 'y', summary: 's', command: 'c', exitCode: 0, stdoutExcerpt: '', stderrExcerpt: '', durationMs: 3 }],
        ['run.phase', { phase: 'deploy' }],
        ['step.started', { stepId: 'a', host: 'web1', attempt: 1, execId: 'e1', action: 'run' }],
        ['step.ended', { stepId: 'a', host: 'web1', attempt: 1, outcome: { kind: 'exited', code: 3 } }],
        ['question.asked', { kind: 'failure', stepId: 'a', host: 'web1', attempt: 1, summary: 'exit 3' }],
      ),
    );
    expect(state.phase).toBe('deploy');
    expect(state.checklist['backup']?.note).toBe('seen the report');
    expect(unwaivedBaselineFailures(state).map((c) => c.checkId)).toEqual(['disk']);
    expect(state.instances['a@web1']).toMatchObject({ state: 'failed', attempt: 1, questionId: 'q9' });
    expect(blockingQuestion(state)?.id).toBe('q9');
    expect(state.headSeq).toBe(9);

    const after = foldRun(
      journal(
        ['question.answered', { questionId: 'q9', answer: { kind: 'failure', decision: 'retry' } }],
        ['baseline.waived', { checkId: 'disk', host: 'web1', reason: 'client accepts' }],
      ).map((e) => ({ ...e, seq: e.seq + 9 })),
      state,
    );
    expect(after.instances['a@web1']?.state).toBe('pending');
    expect(after.questions).toEqual([]);
    expect(unwaivedBaselineFailures(after)).toEqual([]);
    expect(after.deviations.map((d) => d.kind)).toEqual(['waiver']);
  });

  it('keeps a malformed event as an anomaly and counts unknown types instead of throwing', () => {
    const state = foldRun(journal(['run.created', { planHash: HASH }], ['step.ended', { stepId: 'a' }], ['future.thing', {}], ['question.answered', { questionId: 'q99', answer: { kind: 'manual', done: true } }]));
    expect(state.anomalies.map((a) => a.seq)).toEqual([2, 4]);
    expect(state.unhandled).toEqual({ 'future.thing': 1 });
    expect(state.headSeq).toBe(4);
  });

  it('turns answers into outcomes: manual done, confirm denied, skip, mark done', () => {
    const state = foldRun(
      journal(
        ['run.created', { planHash: HASH }],
        ['step.started', { stepId: 'm', host: 'h', attempt: 1, execId: 'e', action: 'manual' }],
        ['question.asked', { kind: 'manual', stepId: 'm', host: 'h', attempt: 1, instructions: 'do it' }],
        ['question.answered', { questionId: 'q3', answer: { kind: 'manual', done: true, note: 'done at 22:10' } }],
        ['step.started', { stepId: 'c', host: 'h', attempt: 1, execId: 'e2', action: 'run' }],
        ['step.ended', { stepId: 'c', host: 'h', attempt: 1, outcome: { kind: 'exited', code: 0 } }],
        ['question.asked', { kind: 'confirm', stepId: 'c', host: 'h', attempt: 1, question: 'ok?' }],
        ['question.answered', { questionId: 'q7', answer: { kind: 'confirm', confirmed: false, note: 'page blank' } }],
        ['step.started', { stepId: 'u', host: 'h', attempt: 1, execId: 'e3', action: 'run' }],
        ['step.ended', { stepId: 'u', host: 'h', attempt: 1, outcome: { kind: 'unknown', reason: 'missing' } }],
        ['question.asked', { kind: 'unknown', stepId: 'u', host: 'h', attempt: 1, summary: '?', idempotent: false }],
        ['question.answered', { questionId: 'q11', answer: { kind: 'unknown', decision: 'mark-done', note: 'checked by hand' } }],
      ),
    );
    expect(state.instances['m@h']).toMatchObject({ state: 'succeeded', note: 'done at 22:10' });
    expect(state.instances['c@h']).toMatchObject({ state: 'failed', confirmed: false });
    expect(state.instances['u@h']).toMatchObject({ state: 'succeeded', outcome: { kind: 'done', note: 'checked by hand' } });
    expect(state.deviations.map((d) => d.kind)).toEqual(['confirm-denied', 'mark-done']);
  });

  it('folds rollbacks, their failure decisions, exclusions, edits and acknowledged flags', () => {
    const state = foldRun(
      journal(
        ['run.created', { planHash: HASH }],
        ['step.edited', { stepId: 'a', run: 'echo fixed', reason: 'path moved' }],
        ['flags.acknowledged', { flagIds: ['plan-signature', 'contact:hugo'], note: '' }],
        ['flags.acknowledged', { flagIds: ['plan-signature'], note: 'again' }],
        ['run.phase', { phase: 'rollback' }],
        ['rollback.started', { stepId: 'a', host: 'h', attempt: 1, execId: 'x', action: 'run' }],
        ['rollback.ended', { stepId: 'a', host: 'h', attempt: 1, outcome: { kind: 'exited', code: 2 } }],
        ['question.asked', { kind: 'failure', stepId: 'a', host: 'h', attempt: 1, summary: 'rollback exited with code 2', during: 'rollback' }],
        ['question.answered', { questionId: 'q8', answer: { kind: 'failure', decision: 'skip', reason: 'undone by hand' } }],
        ['host.excluded', { host: 'h2', reason: 'out of service' }],
      ),
    );
    expect(state.stepEdits['a']).toEqual({ run: 'echo fixed', reason: 'path moved', seq: 2 });
    expect(state.acknowledgedFlags).toEqual(['plan-signature', 'contact:hugo']);
    expect(state.rollbacks['a@h']).toMatchObject({ state: 'skipped', skipReason: 'undone by hand', attempt: 1 });
    // Journal times of the rollback action, for its duration on screen.
    expect(state.rollbacks['a@h']).toMatchObject({ startedAt: '2026-01-01T00:00:05Z', endedAt: '2026-01-01T00:00:06Z' });
    expect(state.instances['a@h']).toBeUndefined();
    expect(state.hosts['h2']?.excluded?.reason).toBe('out of service');
    expect(state.deviations.map((d) => d.kind)).toEqual(['step-edit', 'skip', 'exclude-host']);
    expect(state.questions).toEqual([]);
  });
});
