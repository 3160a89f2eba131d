import type { BaselineCell, OpenQuestion, RunState, StepInstance } from './runState';

// Questions the runner and the UI ask of a folded run state.

/** Failed or errored baseline cells without a waiver: deployment may not start while any exist. */
export function unwaivedBaselineFailures(state: RunState): BaselineCell[] {
  return Object.values(state.baseline).filter((cell) => (cell.status === 'fail' || cell.status === 'error') && cell.waiver === undefined);
}

/** A failure or unknown outcome waits for a decision: no new step starts anywhere. */
export function blockingQuestion(state: RunState): OpenQuestion | undefined {
  return state.questions.find((q) => q.kind === 'failure' || q.kind === 'unknown');
}

export function instancesIn(state: RunState, ...states: StepInstance['state'][]): StepInstance[] {
  return Object.values(state.instances).filter((i) => states.includes(i.state));
}
