import { substitutePlain, type VariableValues } from '../runner/substituteVariables';
import type { Check } from './types';

export interface ResolvedCheck<C extends Check = Check> {
  /** The check with `{{ name }}` replaced by values in every text but a command's `run`. */
  readonly check: C;
  readonly secretsUsed: string[];
}

/**
 * Puts variable values into a check's texts: paths, URLs, expected outputs. These are data, not
 * shell, so both `{{ name }}` and `{{ raw name }}` insert the value as-is and the check quotes the
 * result where it goes into its script. A command's `run` is shell and is left for
 * substituteVariables, which quotes each value. Judges take resolved checks.
 */
export function resolveCheck<C extends Check>(check: C, values: VariableValues): ResolvedCheck<C> {
  const secretsUsed = new Set<string>();
  const resolve = (value: unknown, key: string | undefined): unknown => {
    if (typeof value === 'string') {
      if (key === 'run' && check.type === 'command') return value;
      const result = substitutePlain(value, values);
      for (const name of result.secretsUsed) secretsUsed.add(name);
      return result.text;
    }
    if (Array.isArray(value)) return value.map((item: unknown) => resolve(item, undefined));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, k)]));
    }
    return value;
  };
  // Only strings change, so the result has the shape of the input.
  return { check: resolve(check, undefined) as C, secretsUsed: [...secretsUsed] };
}
