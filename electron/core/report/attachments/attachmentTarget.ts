import { AppError } from '../../../../shared/errors';
import type { Plan } from '../../../../shared/plan';
import type { AttachmentTarget } from '../../../../shared/run';

// What an attachment may belong to: only what the run's plan has. A target is checked when the
// attachment is added, so the journal never names a checklist item, step or handover item that
// does not exist.

export function targetKey(target: AttachmentTarget): string {
  return target.kind === 'step' ? `step:${target.stepId}` : `${target.kind}:${target.itemId}`;
}

/** A reader's label for the target: "Checklist: Backup confirmed". */
export function targetLabel(plan: Plan, target: AttachmentTarget): string {
  switch (target.kind) {
    case 'checklist':
      return `Checklist: ${plan.checklist.find((i) => i.id === target.itemId)?.text ?? target.itemId}`;
    case 'step':
      return `Step: ${plan.steps.find((s) => s.id === target.stepId)?.title ?? target.stepId}`;
    case 'handover':
      return `Handover: ${plan.handover.items.find((i) => i.id === target.itemId)?.text ?? target.itemId}`;
  }
}

export function requireTargetInPlan(plan: Plan, target: AttachmentTarget): void {
  const [ids, what] =
    target.kind === 'checklist'
      ? [plan.checklist.map((i) => i.id), 'rollout checklist item']
      : target.kind === 'step'
        ? [plan.steps.map((s) => s.id), 'step']
        : [plan.handover.items.map((i) => i.id), 'handover item'];
  const id = target.kind === 'step' ? target.stepId : target.itemId;
  if (!ids.includes(id)) {
    const known = ids.slice(0, 10).join(', ');
    throw new AppError(
      'ATTACHMENT_TARGET_UNKNOWN',
      `The plan has no ${what} ${id}, so nothing can be attached to it${ids.length === 0 ? '' : ` (it has ${known}${ids.length > 10 ? ', …' : ''})`}. Attach it to one of the plan's ${what}s.`,
      { kind: target.kind, id },
    );
  }
}
