import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parsePlan, PLAN_PROBLEM_CODES, type PlanParseResult } from '../../../shared/plan';
import { mutate, mutateText, structuralMutationArbitrary, textMutationArbitrary, validPlanArbitrary } from './planArbitraries';

// Thousands of generated plans, valid and broken in the ways people and tools break them. For
// every input the validator must answer (never throw), within a second, and every rejection must
// come with problems that point at a real place in the file.

const toYaml = (plan: unknown): string => stringify(plan, { lineWidth: 0 });

function lineCount(input: string | Uint8Array): number {
  const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
  return text.split('\n').length;
}

let slowest = 0;

function judge(input: string | Uint8Array): PlanParseResult {
  const started = performance.now();
  const result = parsePlan(input, { fileName: 'fuzz.yaml' });
  const took = performance.now() - started;
  slowest = Math.max(slowest, took);
  expect(took).toBeLessThan(1000);
  if (!result.ok) {
    expect(result.problems.length).toBeGreaterThan(0);
    const lines = lineCount(input);
    for (const problem of result.problems) {
      expect(PLAN_PROBLEM_CODES).toContain(problem.code);
      expect(problem.line).toBeGreaterThanOrEqual(1);
      expect(problem.line).toBeLessThanOrEqual(lines);
      expect(problem.column).toBeGreaterThanOrEqual(1);
      expect(problem.message.length).toBeGreaterThan(0);
      // One line each, short enough to read: formatPlanProblem prints one problem per line.
      expect(problem.message).not.toMatch(/[\r\n]/);
      expect(problem.found.length).toBeLessThan(200);
      expect(problem.file).toBe('fuzz.yaml');
    }
  }
  return result;
}

describe('the plan validator under generated input', () => {
  it('accepts every generated valid plan, without warnings', () => {
    fc.assert(
      fc.property(validPlanArbitrary, (plan) => {
        const result = judge(toYaml(plan));
        if (!result.ok) throw new Error(`rejected a valid plan: ${JSON.stringify(result.problems.slice(0, 3))}\n${toYaml(plan)}`);
        expect(result.warnings.filter((w) => w.code !== 'SERIAL_EXCEEDS_HOSTS' && w.code !== 'OUTAGE_OFFSET_MISMATCH')).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('answers every structurally mutated plan with acceptance or located problems', () => {
    fc.assert(
      fc.property(validPlanArbitrary, fc.array(structuralMutationArbitrary, { minLength: 1, maxLength: 4 }), (plan, mutations) => {
        const mutated = mutations.reduce<unknown>((data, mutation) => mutate(data, mutation), plan);
        judge(toYaml(mutated));
      }),
      { numRuns: 1500 },
    );
  });

  it('answers every textually mutated plan with acceptance or located problems', () => {
    fc.assert(
      fc.property(validPlanArbitrary, fc.array(textMutationArbitrary, { minLength: 1, maxLength: 5 }), (plan, mutations) => {
        let input: string | Uint8Array = toYaml(plan);
        for (const mutation of mutations) {
          input = mutateText(typeof input === 'string' ? input : new TextDecoder().decode(input), mutation);
        }
        judge(input);
      }),
      { numRuns: 2000 },
    );
  });

  it('answers arbitrary text and bytes', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => void judge(text)), { numRuns: 500 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => void judge(bytes)), { numRuns: 500 });
    // YAML-looking noise: structure characters, keys of the format and scalars.
    const token = fc.constantFrom('apiVersion: fieldrun/v1\n', 'kind: InstallationPlan\n', 'steps:\n', '  - ', 'id: a\n', '[', ']', '{', '}', ', ', ': ', '\n', '  ', '&x ', '*x ', '"q"', "'q'", '- [', 'hosts: [a]\n', '|\n', '? ', '!!str ');
    fc.assert(fc.property(fc.array(token, { maxLength: 80 }), (tokens) => void judge(tokens.join(''))), { numRuns: 1000 });
  });

  it('keeps each message on one line when a block of text stands where a list belongs (found by this fuzzer in CI)', () => {
    const result = judge('steps:\n  |\n  - ');
    expect(result.ok).toBe(false);
    const long = judge(`steps: ${'x'.repeat(500)}\n`);
    expect(long.ok).toBe(false);
    if (!long.ok) for (const problem of long.problems) expect(problem.message.length).toBeLessThan(400);
  });

  it('stays fast on every input it was given', () => {
    // The per-input bound is asserted above; this records the worst case seen for the notes.
    expect(slowest).toBeLessThan(1000);
  });
});
