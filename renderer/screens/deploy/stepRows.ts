// The step list's rows as plain data, and when two of them draw the same. Every `runs.changed`
// brings a freshly parsed run state (new objects throughout), so rows are compared by what they
// show, not by reference: 50 steps × 50 hosts then redraw only the instances that changed.
import type { Plan, PlanStep } from '../../../shared/plan';
import { selectHosts, stepOrder } from '../../../shared/plan';
import { instanceKey, type RunState, type StepInstance } from '../../../shared/run';

export interface InstanceCell {
  readonly key: string;
  readonly host: string;
  readonly instance: StepInstance | undefined;
  readonly excluded: boolean;
}

export interface StepRowData {
  /** From the plan document, which the run store keeps as long as the run's plan is the same. */
  readonly step: PlanStep;
  readonly edited: boolean;
  readonly cells: readonly InstanceCell[];
}

/** Hosts of each step, resolved once per plan (host lists and tags do not change during a run). */
export function stepLayout(plan: Plan): ReadonlyArray<{ readonly step: PlanStep; readonly hosts: readonly string[] }> {
  const steps = new Map(plan.steps.map((s) => [s.id, s]));
  return stepOrder(plan).flatMap((id) => {
    const step = steps.get(id);
    return step === undefined ? [] : [{ step, hosts: selectHosts(plan, step.hosts) }];
  });
}

export function stepRows(layout: ReturnType<typeof stepLayout>, state: RunState): StepRowData[] {
  return layout.map(({ step, hosts }) => ({
    step,
    edited: state.stepEdits[step.id] !== undefined,
    cells: hosts.map((host) => {
      const key = instanceKey(step.id, host);
      return { key, host, instance: state.instances[key], excluded: state.hosts[host]?.excluded !== undefined };
    }),
  }));
}

/** Whether an instance draws the same: the fields the list shows, nothing else (output lengths, exec ids… are not shown). */
export function sameInstanceView(a: StepInstance | undefined, b: StepInstance | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return (
    a.state === b.state &&
    a.attempt === b.attempt &&
    a.skipReason === b.skipReason &&
    a.startedAt === b.startedAt &&
    a.endedAt === b.endedAt &&
    JSON.stringify(a.outcome) === JSON.stringify(b.outcome)
  );
}

export function sameCell(a: InstanceCell, b: InstanceCell): boolean {
  return a.key === b.key && a.excluded === b.excluded && sameInstanceView(a.instance, b.instance);
}

export function sameRow(a: StepRowData, b: StepRowData): boolean {
  return a.step === b.step && a.edited === b.edited && a.cells.length === b.cells.length && a.cells.every((cell, i) => sameCell(cell, b.cells[i]!));
}
