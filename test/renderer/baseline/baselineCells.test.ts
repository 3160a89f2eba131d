import { describe, expect, it } from 'vitest';
import { parsePlan, type Plan } from '../../../shared/plan';
import { INITIAL_RUN_STATE, type BaselineCell, type RunState } from '../../../shared/run';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { baselineMatrix, countVerdicts, verdictOf } from '../../../renderer/screens/baseline/baselineCells';

const cell = (over: Partial<BaselineCell>): BaselineCell => ({ checkId: 'c', host: 'h', status: 'pass', runs: 1, seq: 1, ...over });

describe('baseline verdicts', () => {
  it('names each cell as the technician reads it', () => {
    expect(verdictOf(undefined, false)).toBe('not-applicable');
    expect(verdictOf(undefined, true)).toBe('not-run');
    expect(verdictOf(cell({ status: 'running' }), true)).toBe('running');
    expect(verdictOf(cell({ status: 'pass' }), true)).toBe('passed');
    expect(verdictOf(cell({ status: 'fail' }), true)).toBe('failed');
    expect(verdictOf(cell({ status: 'error' }), true)).toBe('error');
    expect(verdictOf(cell({ status: 'fail', waiver: { reason: 'known', seq: 2 } }), true)).toBe('waived');
    expect(verdictOf(cell({ status: 'error', waiver: { reason: 'known', seq: 2 } }), true)).toBe('waived');
  });

  it('lays the example plan out as hosts × checks, counting only cells that apply', () => {
    const dir = join(import.meta.dirname, '../../../resources/plans/example-plan');
    const parsed = parsePlan(readFileSync(join(dir, 'plan.yaml')), { fileName: 'plan.yaml' });
    if (!parsed.ok) throw new Error('the example plan should parse');
    const plan: Plan = parsed.plan;
    const matrix = baselineMatrix(plan);
    expect(matrix.hosts).toEqual(plan.hosts.map((h) => h.name));
    expect(matrix.checks.length).toBe(plan.baseline.length);
    const [first] = [...matrix.applies];
    const [checkId = '', host = ''] = first!.split('@');
    const state: RunState = { ...INITIAL_RUN_STATE, baseline: { [first!]: cell({ checkId, host, status: 'fail' }) } };
    const counts = countVerdicts(matrix, state);
    expect(counts.failed).toBe(1);
    expect(counts['not-run']).toBe(matrix.applies.size - 1);
    expect(counts['not-applicable']).toBe(0);
  });
});
