import type { z } from 'zod';
import { listWords } from '../describe';
import type { PlanProblemCode } from '../problems';

// Rules across the keys of one mapping ("exactly one of run, upload or manual"). They report a
// custom issue carrying the plan problem code and the words for `expected` and `found`, and each
// has a JSON Schema counterpart so that editors flag the same mistake.
export interface RuleParams {
  readonly planCode: PlanProblemCode;
  readonly expected: string;
  readonly found: string;
}

type Present = (value: Readonly<Record<string, unknown>>, key: string) => boolean;
const present: Present = (value, key) => value[key] !== undefined;

export function exactlyOne(keys: readonly string[]) {
  const expected = `exactly one of ${listWords(keys.map((k) => `\`${k}\``))}`;
  return {
    check: (value: Readonly<Record<string, unknown>>, ctx: z.RefinementCtx): void => {
      const given = keys.filter((key) => present(value, key));
      if (given.length === 1) return;
      const params: RuleParams = {
        planCode: 'SCHEMA_ONE_OF',
        expected,
        found: given.length === 0 ? 'none of them' : `both ${listWords(given.map((k) => `\`${k}\``), 'and')}`,
      };
      ctx.addIssue({ code: 'custom', message: expected, path: given.length > 1 ? [given[1]!] : [], params });
    },
    jsonSchema: { oneOf: keys.map((key) => ({ required: [key] })) },
  };
}

export function atLeastOne(keys: readonly string[]) {
  const expected = `at least one of ${listWords(keys.map((k) => `\`${k}\``))}`;
  return {
    check: (value: Readonly<Record<string, unknown>>, ctx: z.RefinementCtx): void => {
      if (keys.some((key) => present(value, key))) return;
      const params: RuleParams = { planCode: 'SCHEMA_ONE_OF', expected, found: 'none of them' };
      ctx.addIssue({ code: 'custom', message: expected, path: [], params });
    },
    jsonSchema: { anyOf: keys.map((key) => ({ required: [key] })) },
  };
}

/** When `key` has `value`, none of `others` may be given (they could not all hold). */
export function excludesWhen(key: string, value: unknown, others: readonly string[]) {
  return (input: Readonly<Record<string, unknown>>, ctx: z.RefinementCtx): void => {
    if (input[key] !== value) return;
    const clash = others.find((other) => present(input, other));
    if (clash === undefined) return;
    const params: RuleParams = {
      planCode: 'SCHEMA_CONFLICT',
      expected: `no \`${clash}\` when \`${key}: ${String(value)}\``,
      found: `\`${clash}\` together with \`${key}: ${String(value)}\``,
    };
    ctx.addIssue({ code: 'custom', message: params.expected, path: [clash], params });
  };
}
