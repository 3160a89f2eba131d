import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../electron/core/report/content/reportModel';
import { parsePlan, type Plan } from '../../../shared/plan';
import { INITIAL_RUN_STATE, type BaselineCell, type RunState, type StepInstance } from '../../../shared/run';
import { boxScore, reportPreview } from '../../../renderer/screens/report/reportPreview';

const planText = readFileSync(join(import.meta.dirname, '../../../resources/plans/example-plan/plan.yaml'), 'utf8');
const parsed = parsePlan(planText, { fileName: 'plan.yaml' });
if (!parsed.ok) throw new Error('the example plan must parse');
const plan: Plan = parsed.plan;

const cell = (checkId: string, host: string, status: BaselineCell['status'], waived = false): BaselineCell => ({
  checkId,
  host,
  status,
  runs: 1,
  seq: 3,
  ...(waived ? { waiver: { reason: 'known, agreed with the client', seq: 4 } } : {}),
});
const instance = (stepId: string, host: string, state: StepInstance['state']): StepInstance => ({ stepId, host, state, attempt: 1 });

function visitState(): RunState {
  return {
    ...INITIAL_RUN_STATE,
    runId: 'r1',
    phase: 'handover',
    baseline: {
      'a@web1': cell('a', 'web1', 'pass'),
      'a@web2': cell('a', 'web2', 'fail'),
      'b@db1': cell('b', 'db1', 'error', true),
      'c@db1': cell('c', 'db1', 'fail', true),
    },
    instances: {
      's1@web1': instance('s1', 'web1', 'succeeded'),
      's2@web1': instance('s2', 'web1', 'failed'),
      's3@web1': instance('s3', 'web1', 'skipped'),
      's4@db1': instance('s4', 'db1', 'unknown'),
      's5@db1': instance('s5', 'db1', 'running'),
    },
    deviations: [{ kind: 'waiver', seq: 4, timeUtc: '2026-12-05T21:30:00Z', subject: 'b@db1', text: 'known, agreed with the client' }],
    acknowledgedFlags: ['plan-unsigned'],
    handover: { [plan.handover.items[0]!.id]: { itemId: plan.handover.items[0]!.id, note: '', seq: 9, timeUtc: '2026-12-05T23:00:00Z' } },
  };
}

describe('the report preview', () => {
  it('counts the box score exactly as the signed report will', () => {
    const state = visitState();
    const report = buildReport({ plan, planHash: 'h', state, technician: { name: 'T', keyFingerprint: 'SHA256:x' }, appVersion: 'test', generatedAt: '2026-12-06T00:00:00Z' }, new Map());
    expect(boxScore(state)).toEqual(report.summary);
    expect(boxScore(state)).toEqual({ passed: 2, failed: 2, waived: 2, skipped: 1, unknown: 1 });
  });

  it('lists deviations with their reasons, acknowledged flags, and the unknown steps by title', () => {
    const preview = reportPreview(plan, visitState());
    expect(preview.deviations).toContainEqual({ kind: 'waiver', subject: 'b@db1', reason: 'known, agreed with the client', timeUtc: '2026-12-05T21:30:00Z' });
    expect(preview.deviations.map((d) => d.kind)).toContain('flag-acknowledged');
    expect(preview.unknownSteps).toEqual([{ key: 's4@db1', title: 's4', host: 'db1' }]);
  });

  it('says how far the handover went', () => {
    const preview = reportPreview(plan, visitState());
    expect(preview.handover).toEqual({ ticked: 1, items: plan.handover.items.length, signed: 0, roles: plan.handover.signOff.length });
  });

  it('an untouched run scores zero everywhere', () => {
    expect(boxScore(INITIAL_RUN_STATE)).toEqual({ passed: 0, failed: 0, waived: 0, skipped: 0, unknown: 0 });
  });
});
