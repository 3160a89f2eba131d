import type { Plan } from '../../shared/plan';
import { dryRun, type DryRunInstance } from '../core/runner';
import type { VariableValues } from '../core/runner/substituteVariables';
import type { RunAnswers } from './runAnswersFile';
import { secretFor } from './runAnswersFile';

// `fieldrun run <plan> --dry-run`: what each step would do on each host, in the order the runner
// considers them. Secrets are always shown as ***, given or not; a variable with no value is shown
// as a marker rather than refused, since the dry run is how one finds out what is still missing.

export function dryRunValues(plan: Plan, answers: RunAnswers, env: NodeJS.ProcessEnv): VariableValues {
  const values: Record<string, { value: string; secret: boolean }> = {};
  for (const [name, variable] of Object.entries(plan.variables)) {
    if (variable.secret) values[name] = { value: '***', secret: true };
    else values[name] = { value: variable.value ?? secretFor(name, answers, env) ?? `<${name}: no value>`, secret: false };
  }
  return values;
}

export function dryRunInstances(plan: Plan, answers: RunAnswers, env: NodeJS.ProcessEnv): DryRunInstance[] {
  return dryRun(plan, dryRunValues(plan, answers, env));
}

const indent = (text: string, by: string): string =>
  text
    .split('\n')
    .map((line) => `${by}${line}`)
    .join('\n');

export function formatDryRun(plan: Plan, instances: readonly DryRunInstance[]): string {
  const lines: string[] = [`Dry run of ${plan.metadata.id} ${plan.metadata.version}: nothing connects, nothing changes.`, ''];
  for (const i of instances) {
    const extras = [i.needs.length > 0 ? `needs ${i.needs.join(', ')}` : '', i.serial === undefined ? '' : `serial ${i.serial}`].filter((e) => e !== '');
    lines.push(`[${i.stepId}] on ${i.host}: ${i.title}${extras.length > 0 ? ` (${extras.join('; ')})` : ''}`);
    const a = i.action;
    if (a.kind === 'run') {
      lines.push(`  run${a.sudo ? ' (sudo)' : ''}${a.cwd === undefined ? '' : ` in ${a.cwd}`}:`);
      for (const [name, value] of Object.entries(a.env)) lines.push(`    env ${name}=${value}`);
      lines.push(indent(a.command.replace(/\n$/, ''), '    $ '));
    } else if (a.kind === 'upload') {
      lines.push(`  upload artifact ${a.artifact} (sha256 ${a.sha256}) to ${a.to}${a.mode === undefined ? '' : ` mode ${a.mode}`}`);
    } else {
      lines.push('  manual step, the technician confirms:');
      lines.push(indent(a.instructions.replace(/\n$/, ''), '    | '));
    }
    if (i.verify !== undefined) lines.push(`  verify: ${i.verify} check`);
  }
  lines.push('', `${instances.length} step instance(s).`, '');
  return lines.join('\n');
}
