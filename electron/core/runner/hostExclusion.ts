import type { Plan } from '../../../shared/plan';
import { instanceKey, type RunState } from '../../../shared/run';
import { hostsOfStep } from './runPlan';
import { dependentsOf } from './runRollback';

// Excluding a host after a failure: the technician sees what it means before it takes effect.

/** Instances on `host` that have not succeeded (they will be skipped), and those on other hosts that need them. */
export function exclusionOf(plan: Plan, state: RunState, host: string): { skipped: string[]; dependents: string[] } {
  const dependents = dependentsOf(plan);
  const skipped: string[] = [];
  const affectedSteps = new Set<string>();
  for (const step of plan.steps) {
    if (!hostsOfStep(plan, step).includes(host)) continue;
    const key = instanceKey(step.id, host);
    const current = state.instances[key]?.state ?? 'pending';
    if (current === 'succeeded' || current === 'skipped') continue;
    skipped.push(key);
    for (const dependent of dependents.get(step.id) ?? []) affectedSteps.add(dependent);
  }
  const affected: string[] = [];
  for (const step of plan.steps) {
    if (!affectedSteps.has(step.id)) continue;
    for (const other of hostsOfStep(plan, step)) {
      const key = instanceKey(step.id, other);
      const current = state.instances[key]?.state ?? 'pending';
      if (other !== host && current !== 'succeeded' && current !== 'skipped') affected.push(key);
    }
  }
  return { skipped, dependents: affected };
}

