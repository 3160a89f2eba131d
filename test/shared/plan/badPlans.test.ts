import { describe, expect, it } from 'vitest';
import { formatPlanProblem, parsePlan, PLAN_PROBLEM_CODES } from '../../../shared/plan';
import { BASE_PLAN } from './basePlan';
import { BAD_PLANS } from './badPlanCases';

describe('bad plans', () => {
  it('start from a base plan that is valid and clean', () => {
    const result = parsePlan(BASE_PLAN, { fileName: 'plan.yaml' });
    expect(result.ok ? result.warnings : result.problems).toEqual([]);
  });

  it('cover at least 30 mistakes', () => {
    expect(BAD_PLANS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(BAD_PLANS.map((c) => [c.name, c] as const))('%s: rejected with the code, path and line:column', (_name, badPlan) => {
    const result = parsePlan(badPlan.input, { fileName: 'plan.yaml' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const located = result.problems.map((p) => ({ code: p.code, path: p.path, at: `${p.line}:${p.column}` }));
    expect(located).toEqual(badPlan.expected);
    for (const problem of result.problems) {
      expect(PLAN_PROBLEM_CODES).toContain(problem.code);
      expect(problem.file).toBe('plan.yaml');
      expect(problem.severity).toBe('error');
      expect(problem.found).not.toBe('');
      expect(problem.expected).not.toBe('');
    }
    // The wording people read lives in the snapshot, reviewed as a whole.
    const wording = result.problems.map((p) => `${formatPlanProblem(p)}\n  found: ${p.found}\n  expected: ${p.expected}`).join('\n');
    expect(wording).toMatchSnapshot();
  });

  it('never show the value of a secret', () => {
    const plan = BASE_PLAN.replace('    secret: true\n', '    secret: true\n    value: hunter2-canary\n').replace(
      '  dir:\n    value: /srv/www\n',
      '  dir:\n    value: /srv/www\n  pin:\n    secret: true\n    value: 424242\n',
    );
    const result = parsePlan(plan, { fileName: 'plan.yaml' });
    expect(result.ok).toBe(false);
    const text = JSON.stringify(result);
    expect(text).not.toContain('hunter2-canary');
    expect(text).not.toContain('424242');
  });

  it('report every problem of a plan in one pass, sorted by line', () => {
    const plan = BASE_PLAN.replace("  version: '1.0'", '  version: 1.0')
      .replace('    needs: [publish]', '    needs: [publsh]')
      .replace('    tags: [web]', '    tags: [web]\n    prot: 22');
    const result = parsePlan(plan, { fileName: 'plan.yaml' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.code)).toEqual(['SCHEMA_TYPE', 'SCHEMA_UNKNOWN_KEY', 'NEEDS_UNKNOWN_STEP']);
    const lines = result.problems.map((p) => p.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });
});
