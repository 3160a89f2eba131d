import type { Plan } from '../../../shared/plan';
import { actionOf, selectHosts, stepOrder } from '../../../shared/plan';
import { maskedPreview, maskedValues, substitutePlain, type VariableValues } from './substituteVariables';

// What a dry run prints: every step instance in the order the runner would consider them, with
// its command as it would reach the host (variables resolved and quoted, secrets shown as ***).
// Nothing connects and nothing changes; the headless CLI formats this.

export type DryRunAction =
  | { readonly kind: 'run'; readonly command: string; readonly sudo: boolean; readonly cwd?: string; readonly env: Readonly<Record<string, string>> }
  | { readonly kind: 'upload'; readonly artifact: string; readonly sha256: string; readonly to: string; readonly mode?: string }
  | { readonly kind: 'manual'; readonly instructions: string };

export interface DryRunInstance {
  readonly stepId: string;
  readonly title: string;
  readonly host: string;
  readonly needs: readonly string[];
  readonly serial?: number;
  readonly action: DryRunAction;
  readonly verify?: string;
}

export function dryRun(plan: Plan, values: VariableValues): DryRunInstance[] {
  const steps = new Map(plan.steps.map((s) => [s.id, s]));
  const out: DryRunInstance[] = [];
  for (const id of stepOrder(plan)) {
    const step = steps.get(id)!;
    const action = actionOf(step);
    // Environment values are data, not shell: inserted as-is, secrets as ***.
    const env = Object.fromEntries(Object.entries(step.env).map(([name, value]) => [name, substitutePlain(value, maskedValues(values)).text]));
    for (const host of selectHosts(plan, step.hosts)) {
      const described: DryRunAction =
        action.kind === 'run'
          ? { kind: 'run', command: maskedPreview(action.run, values), sudo: step.sudo, env, ...(step.cwd === undefined ? {} : { cwd: step.cwd }) }
          : action.kind === 'upload'
            ? {
                kind: 'upload',
                artifact: action.upload.artifact,
                sha256: plan.artifacts.find((a) => a.id === action.upload.artifact)?.sha256 ?? '',
                to: substitutePlain(action.upload.to, maskedValues(values)).text,
                ...(action.upload.mode === undefined ? {} : { mode: action.upload.mode }),
              }
            : { kind: 'manual', instructions: action.manual.instructions };
      out.push({
        stepId: id,
        title: step.title,
        host,
        needs: step.needs,
        ...(step.serial === undefined ? {} : { serial: step.serial }),
        action: described,
        ...(step.verify === undefined ? {} : { verify: step.verify.type }),
      });
    }
  }
  return out;
}
