import { AppError } from '../../../shared/errors';
import { findVariableRefs, type VariableRef } from '../../../shared/plan';

// Variables reach commands quoted for the shell, so a value such as `x'; rm -rf ~ #` stays one
// literal word whatever bytes it holds; `{{ raw name }}` is the plan's explicit way to insert a
// value as shell text. Single quotes are used because inside them every byte but the quote itself
// is literal in dash, bash, ksh and busybox ash alike; an embedded quote becomes `'\''` (close,
// escaped quote, reopen). NUL is the one thing no argv or shell variable can carry, so a value
// holding it is refused rather than silently cut short by the shell.

export interface VariableValue {
  readonly value: string;
  readonly secret: boolean;
}

export type VariableValues = Readonly<Record<string, VariableValue>>;

export interface Substituted {
  readonly text: string;
  /** Names of the secret variables the text refers to (each once, in order of first use). */
  readonly secretsUsed: string[];
}

/** `'…'` with `'\''` for each embedded quote: one literal word for any POSIX shell. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Text for a shell: `{{ name }}` becomes the value shell-quoted, `{{ raw name }}` the value as-is. */
export function substituteVariables(text: string, values: VariableValues): Substituted {
  return replaceRefs(text, values, (ref, variable) => (ref.raw ? variable.value : shellQuote(variable.value)));
}

/**
 * Text that is not shell (a path, a URL, an expected output): both forms insert the value as-is;
 * the check that uses the text quotes it for its own purpose.
 */
export function substitutePlain(text: string, values: VariableValues): Substituted {
  return replaceRefs(text, values, (_ref, variable) => variable.value);
}

/** What a dry run prints: the command as it would run, secrets shown as `***`. */
export function maskedPreview(text: string, values: VariableValues): string {
  return replaceRefs(text, values, (ref, variable) => {
    if (variable.secret) return '***';
    return ref.raw ? variable.value : shellQuote(variable.value);
  }).text;
}

/** The same variables with every secret's value replaced by `***`, for texts built to be shown. */
export function maskedValues(values: VariableValues): VariableValues {
  return Object.fromEntries(Object.entries(values).map(([name, v]) => [name, v.secret ? { value: '***', secret: true } : v]));
}

function replaceRefs(text: string, values: VariableValues, render: (ref: VariableRef, variable: VariableValue) => string): Substituted {
  const refs = findVariableRefs(text);
  if (refs.length === 0) return { text, secretsUsed: [] };
  const parts: string[] = [];
  const secretsUsed: string[] = [];
  let at = 0;
  for (const ref of refs) {
    const variable = Object.prototype.hasOwnProperty.call(values, ref.name) ? values[ref.name] : undefined;
    if (variable === undefined) {
      throw new AppError('VARIABLE_MISSING', `The variable ${ref.name} has no value: enter it before running, or declare it with a value in the plan.`, {
        variable: ref.name,
      });
    }
    if (variable.value.includes('\0')) {
      throw new AppError(
        'VARIABLE_INVALID',
        `The value of ${ref.name} contains a NUL character, which no shell command can carry: enter the value again without it.`,
        { variable: ref.name },
      );
    }
    if (variable.secret && !secretsUsed.includes(ref.name)) secretsUsed.push(ref.name);
    parts.push(text.slice(at, ref.start), render(ref, variable));
    at = ref.end;
  }
  parts.push(text.slice(at));
  return { text: parts.join(''), secretsUsed };
}
