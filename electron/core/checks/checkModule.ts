import type { CheckType } from '../../../shared/plan';
import type { VariableValues } from '../runner/substituteVariables';
import { parseCheckFacts, wrapCheckScript, type CheckFacts } from './checkScript';
import { resolveCheck } from './resolveCheck';
import type { CheckOf, CheckOutput, CheckVerdict, CompiledCheck } from './types';
import { cannotCheck, noResultReason } from './verdicts';

/** One check type: how it becomes a script and how its output is judged. */
export interface CheckModule<T extends CheckType> {
  /** Resolves the check's variables and builds its script. */
  compile(check: CheckOf<T>, vars: VariableValues): CompiledCheck;
  /** Pure. `check` is resolved (see resolveCheck): its texts hold values, not `{{ name }}`. */
  judge(check: CheckOf<T>, output: CheckOutput): CheckVerdict;
  /** The expectation in words, also for a check that could not run. */
  expected(check: CheckOf<T>): string;
  /**
   * The part of stdout worth keeping as evidence; all of it unless the type says otherwise (a
   * process-list check keeps only the matching lines, not every command line on the server).
   */
  evidence?(check: CheckOf<T>, stdout: string): string;
}

export interface ProtocolCheckSpec<T extends CheckType> {
  expected(check: CheckOf<T>): string;
  /** The script body (runs in a subshell, with the protocol helpers); `check` is resolved. */
  script(check: CheckOf<T>): string;
  /** Judges the facts of a script that ran and did not report `cannot=`; undefined when facts are missing. */
  judge(check: CheckOf<T>, facts: CheckFacts, output: CheckOutput): CheckVerdict | undefined;
  evidence?(check: CheckOf<T>, stdout: string): string;
}

const CANNOT = /^(missing|denied|unsupported|failed) ?(.*)$/;

/** Why the check could not run, from a `cannot=` fact. */
export function cannotReason(text: string): string {
  const match = CANNOT.exec(text);
  if (!match) return text;
  const detail = match[2]!.trim();
  switch (match[1]) {
    case 'missing':
      return `${detail} not found on this host`;
    case 'denied':
      return `permission denied: ${detail}`;
    default:
      return detail;
  }
}

/** A check type whose script speaks the line protocol of checkScript.ts. */
export function protocolCheck<T extends CheckType>(spec: ProtocolCheckSpec<T>): CheckModule<T> {
  const module: CheckModule<T> = {
    expected: spec.expected,
    compile(check, vars) {
      const resolved = resolveCheck(check, vars);
      return {
        command: wrapCheckScript(spec.script(resolved.check), { protocol: true }),
        sudo: check.sudo ?? false,
        secretsUsed: resolved.secretsUsed,
      };
    },
    judge(check, output) {
      const facts = parseCheckFacts(output.stdout);
      const expected = spec.expected(check);
      const cannot = facts.get('cannot');
      if (cannot !== undefined) return cannotCheck(expected, cannotReason(cannot));
      // A script that was cut off may have printed some facts but not all: never judge those.
      if (!facts.ran || output.exitCode !== 0) return cannotCheck(expected, noResultReason(output));
      return spec.judge(check, facts, output) ?? cannotCheck(expected, noResultReason(output));
    },
  };
  if (spec.evidence !== undefined) module.evidence = spec.evidence;
  return module;
}
