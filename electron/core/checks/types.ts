import type { CheckType, VerifyCheck } from '../../../shared/plan';

// The typed checks as the core runs them. A baseline check carries the same fields as a verify
// check plus its id, title and hosts, so every function here takes the verify shape and accepts
// both.
export type Check = VerifyCheck;
export type CheckOf<T extends CheckType> = Extract<Check, { type: T }>;

/** What came back from the host, as the judge sees it. */
export interface CheckOutput {
  /** null when no exit status arrived (the session died, or the check timed out). */
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export type CheckStatus = 'pass' | 'fail' | 'error';

/**
 * pass or fail: the check ran and the host meets (or does not meet) the expectation.
 * error: the check could not run (tool missing, permission denied, no answer), so nothing is
 * known about the expectation.
 */
export interface CheckVerdict {
  readonly status: CheckStatus;
  /** The expectation in words: "≥ 20 GiB free on /opt". */
  readonly expected: string;
  /** What the host showed: "12.4 GiB free (8%)". */
  readonly found: string;
  /** One sentence for the report: "expected ≥ 20 GiB free on /opt, found 12.4 GiB". */
  readonly summary: string;
}

export interface CompiledCheck {
  /**
   * A self-contained POSIX sh script (dash-compatible) that exports LC_ALL=C itself. runCheck
   * feeds it to `/bin/sh -s` on stdin, which keeps variable values off the host's process list;
   * `sh -c "$script"` runs it the same way.
   */
  readonly command: string;
  /** The check asks for root: run it through the sudo path. */
  readonly sudo: boolean;
  /** Secret variables whose values the script holds. */
  readonly secretsUsed: string[];
}
