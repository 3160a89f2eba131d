import type { PlanStep, StepManual, StepRollback, StepUpload } from './schema/steps';

// A step (or a rollback) has exactly one of run, upload and manual: the parser guarantees it.
// This turns the three optional keys into one value the runner can switch on.
export type PlanAction =
  | { readonly kind: 'run'; readonly run: string }
  | { readonly kind: 'upload'; readonly upload: StepUpload }
  | { readonly kind: 'manual'; readonly manual: StepManual };

export function actionOf(step: PlanStep | StepRollback): PlanAction {
  if (step.run !== undefined) return { kind: 'run', run: step.run };
  if (step.upload !== undefined) return { kind: 'upload', upload: step.upload };
  if (step.manual !== undefined) return { kind: 'manual', manual: step.manual };
  throw new RangeError('a step without an action, which parsePlan never lets through');
}
