// Helpers for the judge tests (not a test file itself).
import type { CheckType } from '../../../shared/plan';
import { VerifyCheckSchema } from '../../../shared/plan';
import { judgeCheck, type CheckOf, type CheckOutput, type CheckVerdict } from '../../../electron/core/checks';

/** A check as the plan parser gives it (defaults applied). */
export function checkOf<T extends CheckType>(raw: { type: T } & Record<string, unknown>): CheckOf<T> {
  return VerifyCheckSchema.parse(raw) as CheckOf<T>;
}

/** Output of a protocol script that ran: the marker line, then `body`. */
export function ran(body: string, exitCode = 0, stderr = ''): CheckOutput {
  return { exitCode, stdout: `fieldrun-check=1\n${body}`, stderr };
}

export function judged<T extends CheckType>(raw: { type: T } & Record<string, unknown>, output: CheckOutput): CheckVerdict {
  return judgeCheck(checkOf(raw), output);
}
