import { describe, expect, it } from 'vitest';
import { parsePlan, PLAN_LIMITS, type PlanParseResult } from '../../../shared/plan';
import { BASE_PLAN } from './basePlan';
import { paddedTo, planOfSize } from './limitPlans';

// Each limit of PLAN_LIMITS (the README quotes them) is tested at the limit, where the plan is
// accepted, and one past it, where it is refused with the code that names the limit.

const codes = (result: PlanParseResult): string[] => (result.ok ? [] : result.problems.map((p) => p.code));
const parse = (text: string | Uint8Array): PlanParseResult => parsePlan(text, { fileName: 'plan.yaml' });

function timed(text: string | Uint8Array): { result: PlanParseResult; ms: number } {
  const started = performance.now();
  const result = parse(text);
  return { result, ms: performance.now() - started };
}

describe('plan limits', () => {
  it('are the values the README quotes', () => {
    expect(PLAN_LIMITS).toEqual({
      maxBytes: 5 * 1024 * 1024,
      maxHosts: 1000,
      maxSteps: 2000,
      maxChecks: 2000,
      maxDepth: 64,
      maxAliases: 100,
      maxNodes: 200_000,
      maxProblems: 1000,
    });
  });

  it('accept a plan at every count limit at once (a bound against runaway work, not a speed claim: the speed is in the notes)', () => {
    const text = planOfSize({ hosts: PLAN_LIMITS.maxHosts, steps: PLAN_LIMITS.maxSteps, checks: PLAN_LIMITS.maxChecks });
    const { result, ms } = timed(text);
    expect(codes(result)).toEqual([]);
    expect(result.ok && result.plan.hosts.length).toBe(PLAN_LIMITS.maxHosts);
    expect(result.ok && result.plan.steps.length).toBe(PLAN_LIMITS.maxSteps);
    expect(result.ok && result.plan.baseline.length).toBe(PLAN_LIMITS.maxChecks);
    // ~0.5 s here idle; 5.6 s measured with the machine's load average at 23. Only a hang fails.
    expect(ms).toBeLessThan(30_000);
  });

  it.each([
    ['hosts', { hosts: PLAN_LIMITS.maxHosts + 1 }, `hosts[${PLAN_LIMITS.maxHosts}]`],
    ['steps', { steps: PLAN_LIMITS.maxSteps + 1 }, `steps[${PLAN_LIMITS.maxSteps}]`],
    ['baseline checks', { checks: PLAN_LIMITS.maxChecks + 1 }, `baseline[${PLAN_LIMITS.maxChecks}]`],
  ])('refuse one %s too many with TOO_MANY_ITEMS at the first one past the limit', (_what, size, path) => {
    const result = parse(planOfSize(size));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.code, p.path])).toEqual([['TOO_MANY_ITEMS', path]]);
  });

  it('accept a file of exactly maxBytes and refuse one byte more before reading it', () => {
    const atLimit = paddedTo(planOfSize({ hosts: 10, steps: 10 }), PLAN_LIMITS.maxBytes);
    const bytes = new TextEncoder().encode(atLimit);
    expect(bytes.length).toBe(PLAN_LIMITS.maxBytes);
    expect(codes(parse(bytes))).toEqual([]);
    expect(codes(parse(atLimit))).toEqual([]);

    const over = paddedTo(planOfSize({ hosts: 10, steps: 10 }), PLAN_LIMITS.maxBytes + 1);
    const { result, ms } = timed(new TextEncoder().encode(over));
    expect(codes(result)).toEqual(['PLAN_TOO_LARGE']);
    expect(codes(parse(over))).toEqual(['PLAN_TOO_LARGE']);
    expect(ms).toBeLessThan(1000); // refused by size before decoding: far below parsing time
  });

  it('count bytes, not characters, for text input', () => {
    // 'é' is two bytes in UTF-8: a text of maxBytes/2 + 1 of them is one character over in bytes.
    const wide = `# ${'é'.repeat(PLAN_LIMITS.maxBytes / 2)}\n`;
    expect(codes(parse(wide))).toEqual(['PLAN_TOO_LARGE']);
  });

  it(`accept ${PLAN_LIMITS.maxDepth} levels of nesting and refuse ${PLAN_LIMITS.maxDepth + 1}`, () => {
    // The root mapping is level 1; the lists under `x` add the rest. Such a document is not a
    // plan (x is an unknown key), but it must get past the depth limit to be told so.
    const flow = (levels: number): string => `x: ${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}\n`;
    const block = (levels: number): string => `x:\n  ${'- '.repeat(levels - 1)}leaf\n`;
    for (const nested of [flow, block]) {
      expect(codes(parse(nested(PLAN_LIMITS.maxDepth)))).not.toContain('TOO_DEEP');
      expect(codes(parse(nested(PLAN_LIMITS.maxDepth + 1)))).toEqual(['TOO_DEEP']);
    }
  });

  it(`accept ${PLAN_LIMITS.maxAliases} aliases and refuse ${PLAN_LIMITS.maxAliases + 1}`, () => {
    const withAliases = (count: number): string => {
      const checks = ['  - id: anchor', '    type: memory', '    minAvailable: 1GiB', '    hosts: &web [web1]'];
      for (let i = 0; i < count; i += 1) checks.push(`  - id: alias-${i}`, '    type: memory', '    minAvailable: 1GiB', '    hosts: *web');
      return BASE_PLAN.replace('baseline:\n', `baseline:\n${checks.join('\n')}\n`);
    };
    const atLimit = parse(withAliases(PLAN_LIMITS.maxAliases));
    expect(codes(atLimit)).toEqual([]);
    expect(atLimit.ok && atLimit.plan.baseline[PLAN_LIMITS.maxAliases]?.hosts).toEqual(['web1']);
    expect(codes(parse(withAliases(PLAN_LIMITS.maxAliases + 1)))).toEqual(['ALIAS_LIMIT']);
  });

  it(`accept ${PLAN_LIMITS.maxNodes} YAML nodes and refuse one more`, () => {
    // Root mapping, the key x, its list: 3 nodes, and the rest are list items.
    const nodes = (count: number): string => `x: [${Array.from({ length: count - 3 }, () => '1').join(',')}]\n`;
    expect(codes(parse(nodes(PLAN_LIMITS.maxNodes)))).not.toContain('TOO_MANY_NODES');
    expect(codes(parse(nodes(PLAN_LIMITS.maxNodes + 1)))).toEqual(['TOO_MANY_NODES']);
  });

  it(`list at most ${PLAN_LIMITS.maxProblems} problems, and say how many more there are`, () => {
    const text = BASE_PLAN.replace('contacts:', `checklist: [${Array.from({ length: 1500 }, () => 'a').join(', ')}]\ncontacts:`);
    const result = parse(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(PLAN_LIMITS.maxProblems + 1);
    expect(result.problems[0]).toMatchObject({ code: 'TOO_MANY_PROBLEMS', found: '500 more problems', line: 1, column: 1 });
  });
});
