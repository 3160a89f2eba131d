// The baseline as a host × check matrix: which checks apply to which host, and each cell's
// verdict (passed, failed, error, waived, running or not run), from the folded run state.
import type { BaselineCheck, Plan } from '../../../shared/plan';
import { selectHosts } from '../../../shared/plan';
import { baselineKey, type BaselineCell, type RunState } from '../../../shared/run';

export type Verdict = 'passed' | 'failed' | 'error' | 'waived' | 'running' | 'not-run' | 'not-applicable';

export interface Matrix {
  readonly hosts: readonly string[];
  readonly checks: readonly BaselineCheck[];
  /** Whether check `c` runs on host `h`, by `checkId@host`. */
  readonly applies: ReadonlySet<string>;
}

export function baselineMatrix(plan: Plan): Matrix {
  const hosts = plan.hosts.map((h) => h.name);
  const applies = new Set<string>();
  for (const check of plan.baseline) {
    for (const host of check.hosts === undefined ? hosts : selectHosts(plan, check.hosts)) applies.add(baselineKey(check.id, host));
  }
  return { hosts, checks: plan.baseline, applies };
}

export function verdictOf(cell: BaselineCell | undefined, applies: boolean): Verdict {
  if (!applies) return 'not-applicable';
  if (cell === undefined) return 'not-run';
  if (cell.status === 'running') return 'running';
  if (cell.status === 'pass') return 'passed';
  if (cell.waiver !== undefined) return 'waived';
  return cell.status === 'fail' ? 'failed' : 'error';
}

export const VERDICT_BADGE: Readonly<Record<Verdict, string>> = {
  passed: 'ok',
  failed: 'fail',
  error: 'fail',
  waived: 'warn',
  running: 'info',
  'not-run': 'neutral',
  'not-applicable': 'neutral',
};

export type VerdictCounts = Readonly<Record<Verdict, number>>;

export function countVerdicts(matrix: Matrix, state: RunState): VerdictCounts {
  const counts: Record<Verdict, number> = { passed: 0, failed: 0, error: 0, waived: 0, running: 0, 'not-run': 0, 'not-applicable': 0 };
  for (const key of matrix.applies) counts[verdictOf(state.baseline[key], true)] += 1;
  return counts;
}
