import { formatPlanProblem } from '../../shared/plan';
import { checkPlanAt } from '../core/plan/importPlan';
import type { CliIo } from './io';
import { EXIT } from './io';
import { describePlan } from './planSummary';

export async function planValidateCommand(path: string, options: { json: boolean }, io: CliIo): Promise<number> {
  const check = await checkPlanAt(path);
  const valid = check.problems.length === 0;
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ valid, file: check.source.planFileName, source: { kind: check.source.kind, name: check.source.name }, problems: check.problems, warnings: check.warnings }, null, 2)}\n`);
    return valid ? EXIT.ok : EXIT.failed;
  }
  for (const problem of [...check.problems, ...check.warnings]) io.stderr.write(`${formatPlanProblem(problem)}\n`);
  if (valid) {
    const warnings = check.warnings.length === 0 ? '' : ` (${check.warnings.length} warning${check.warnings.length === 1 ? '' : 's'})`;
    io.stdout.write(`${check.source.name}: valid${warnings}\n`);
    return EXIT.ok;
  }
  io.stderr.write(`${check.source.name}: ${check.problems.length} problem${check.problems.length === 1 ? '' : 's'}; the plan cannot be imported until they are fixed.\n`);
  return EXIT.failed;
}

export async function planShowCommand(path: string, io: CliIo): Promise<number> {
  const check = await checkPlanAt(path);
  if (check.plan === undefined || check.problems.length > 0) {
    for (const problem of check.problems) io.stderr.write(`${formatPlanProblem(problem)}\n`);
    io.stderr.write(`${check.source.name}: not a valid plan; run 'fieldrun plan validate' for details.\n`);
    return EXIT.failed;
  }
  io.stdout.write(describePlan(check.plan, { localTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone }));
  return EXIT.ok;
}
