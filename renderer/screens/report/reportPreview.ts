// What the signed report will say about the run, from the folded state; the box score is the
// core's own definition (shared/run/boxScore.ts), so the preview and report.json agree.
import type { Plan } from '../../../shared/plan';
import { boxScore, instanceKey, type BoxScore, type RunState } from '../../../shared/run';

export { boxScore, type BoxScore };

export interface PreviewDeviation {
  readonly kind: string;
  readonly subject: string;
  readonly reason: string;
  readonly timeUtc: string;
}

export interface ReportPreview {
  readonly box: BoxScore;
  readonly deviations: readonly PreviewDeviation[];
  /** `stepId@host` of every step whose outcome is unknown, with the step's title. */
  readonly unknownSteps: readonly { readonly key: string; readonly title: string; readonly host: string }[];
  readonly handover: { readonly ticked: number; readonly items: number; readonly signed: number; readonly roles: number };
}

export function reportPreview(plan: Plan, state: RunState): ReportPreview {
  const deviations: PreviewDeviation[] = state.deviations.map((d) => ({ kind: d.kind, subject: d.subject, reason: d.text, timeUtc: d.timeUtc }));
  for (const flag of state.acknowledgedFlags) deviations.push({ kind: 'flag-acknowledged', subject: flag, reason: '', timeUtc: '' });
  for (const host of Object.values(state.hosts)) {
    if (host.clock?.flagged === true) deviations.push({ kind: 'clock-skew', subject: host.host, reason: String(host.clock.skewS), timeUtc: '' });
  }
  const unknownSteps = Object.values(state.instances)
    .filter((i) => i.state === 'unknown')
    .map((i) => ({ key: instanceKey(i.stepId, i.host), title: plan.steps.find((s) => s.id === i.stepId)?.title ?? i.stepId, host: i.host }))
    .sort((a, b) => a.key.localeCompare(b.key));
  return {
    box: boxScore(state),
    deviations,
    unknownSteps,
    handover: {
      ticked: plan.handover.items.filter((i) => state.handover[i.id] !== undefined).length,
      items: plan.handover.items.length,
      signed: plan.handover.signOff.filter((s) => state.signOffs[s.role] !== undefined).length,
      roles: plan.handover.signOff.length,
    },
  };
}
