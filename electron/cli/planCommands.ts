import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { formatPlanProblem } from '../../shared/plan';
import { fingerprintOfBlob, PLAN_NAMESPACE, readOpenSshPrivateKey, signSshsig } from '../core/sshsig';
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

/**
 * `fieldrun plan sign <plan> --key K`: head office signs a plan with an Ed25519 OpenSSH key, in the
 * plan namespace, writing `plan.yaml.sig` beside the plan (the same as
 * `ssh-keygen -Y sign -n fieldrun-plan`). The key's passphrase, if any, comes from
 * FIELDRUN_KEY_PASSPHRASE, never from the command line.
 */
export async function planSignCommand(path: string, keyPath: string, io: CliIo): Promise<number> {
  const check = await checkPlanAt(path);
  if (check.problems.length > 0) {
    for (const problem of check.problems) io.stderr.write(`${formatPlanProblem(problem)}\n`);
    io.stderr.write(`${check.source.name}: not signed: a plan is signed only when it is valid.\n`);
    return EXIT.failed;
  }
  if (check.source.kind === 'archive') {
    io.stderr.write(`${check.source.name}: sign the plan folder or file, then make the archive.\n`);
    return EXIT.usage;
  }
  const key = readOpenSshPrivateKey(readFileSync(keyPath, 'utf8'), process.env['FIELDRUN_KEY_PASSPHRASE']);
  const armored = signSshsig({ message: check.source.planBytes, namespace: PLAN_NAMESPACE, privateKey: key.privateKey });
  const planFile = check.source.kind === 'folder' ? join(path, check.source.planFileName) : path;
  writeFileSync(`${planFile}.sig`, armored);
  io.stdout.write(`${basename(planFile)}.sig written (namespace ${PLAN_NAMESPACE}, key ${fingerprintOfBlob(key.publicKey)})\n`);
  return EXIT.ok;
}
