import { formatPlanProblem } from '../../shared/plan';
import { checkPlanAt } from '../core/plan/importPlan';
import type { CliIo } from './io';
import { EXIT } from './io';
import { NO_ANSWERS, readRunAnswers } from './runAnswersFile';
import { dryRunInstances, formatDryRun } from './runDryRun';
import { runHeadless } from './runHeadless';
import { formatRunSummary } from './runSummary';

export interface RunCommandOptions {
  readonly dryRun: boolean;
  readonly json: boolean;
  readonly dataDir?: string;
  readonly answersPath?: string;
  readonly knownHostsPath?: string;
  readonly identityPath?: string;
}

/**
 * `fieldrun run <plan>`: with --dry-run, what would run where (nothing connects); without, a
 * headless rehearsal to handover. Exit 0 reached handover (or done), 1 failed, stopped or refused.
 */
export async function runCommand(planPath: string, options: RunCommandOptions, io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const check = await checkPlanAt(planPath);
  if (check.plan === undefined || check.problems.length > 0) {
    for (const problem of check.problems) io.stderr.write(`${formatPlanProblem(problem)}\n`);
    io.stderr.write(`${check.source.name}: not a valid plan; run 'fieldrun plan validate' for details.\n`);
    return EXIT.failed;
  }
  const plan = check.plan;
  const answers = options.answersPath === undefined ? NO_ANSWERS : readRunAnswers(options.answersPath);

  if (options.dryRun) {
    const instances = dryRunInstances(plan, answers, env);
    io.stdout.write(options.json ? `${JSON.stringify({ plan: { id: plan.metadata.id, version: plan.metadata.version }, instances }, null, 2)}\n` : formatDryRun(plan, instances));
    return EXIT.ok;
  }

  const say = (line: string): void => {
    if (!options.json) io.stdout.write(`${line}\n`);
  };
  const result = await runHeadless({
    planPath,
    plan,
    answers,
    env,
    say,
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    ...(options.knownHostsPath === undefined ? {} : { knownHostsPath: options.knownHostsPath }),
    ...(options.identityPath === undefined ? {} : { identityPath: options.identityPath }),
  });
  const ok = result.stopped === undefined && (result.reached === 'handover' || result.reached === 'done');
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ ok, runId: result.runId ?? null, dataDir: result.dataDir, phase: result.reached ?? null, stopped: result.stopped ?? null, steps: result.steps ?? [] }, null, 2)}\n`);
  } else if (result.steps !== undefined) {
    io.stdout.write(`\n${formatRunSummary(result.steps)}`);
  }
  if (result.stopped !== undefined) io.stderr.write(`fieldrun: run stopped: ${result.stopped}\n`);
  if (ok) say(`reached ${result.reached ?? ''}: the run is in ${result.dataDir}`);
  return ok ? EXIT.ok : EXIT.failed;
}
