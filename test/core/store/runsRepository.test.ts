import { describe, expect, test } from 'vitest';
import { foldRunState } from '../../../electron/core/store';
import { seedRun } from './seed';
import { steppingClock, tempStore } from './support';

describe('the runs repository', () => {
  test('creating a run records it and its run.created event together', () => {
    const store = tempStore({ clock: steppingClock('2026-05-06T07:08:09.010Z') });
    const { plan } = store.plans.insert({
      bytes: Buffer.from('plan bytes'),
      planId: 'shop',
      version: '3',
      title: 'Shop',
      parsed: {},
      source: {},
      signature: { status: 'valid-trusted', details: {} },
      artifacts: [],
    });
    const { runId, event } = store.runs.create({ planHash: plan.hash, label: 'Night of 6 May' });
    expect(runId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(store.runs.get(runId)).toEqual({ id: runId, planHash: plan.hash, createdAt: '2026-05-06T07:08:09.010Z', label: 'Night of 6 May' });
    expect(event).toMatchObject({ seq: 1, type: 'run.created', payload: { planHash: plan.hash, planId: 'shop', planVersion: '3', label: 'Night of 6 May' } });
    expect(foldRunState(store.journal.read(runId))).toMatchObject({ runId, planHash: plan.hash, phase: 'prepare', headSeq: 1 });
  });

  test('a run on a plan that was never imported is refused and nothing is written', () => {
    const store = tempStore();
    expect(() => store.runs.create({ planHash: 'f'.repeat(64) })).toThrow(expect.objectContaining({ code: 'PLAN_NOT_FOUND' }));
    expect(store.runs.list()).toEqual([]);
  });

  test('list shows newest first, optionally for one plan', () => {
    const clock = steppingClock();
    const store = tempStore({ clock });
    const first = seedRun(store, 'first');
    clock.advance(1000);
    const second = seedRun(store, 'second');
    expect(store.runs.list().map((r) => r.id)).toEqual([second, first]);
    const planOfFirst = store.runs.get(first)!.planHash;
    expect(store.runs.list({ planHash: planOfFirst }).map((r) => r.id)).toEqual([first]);
    expect(store.runs.get('no-such-run')).toBeUndefined();
  });
});
