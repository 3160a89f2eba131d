// What the signed report will say about the run, computed from the folded state the same way the
// core's report model counts it (electron/core/report/content/reportModel.ts), so the preview
// and report.json agree on every number.
import type { Plan } from '../../../shared/plan';
import { instanceKey, type RunState } from '../../../shared/run';

export interface BoxScore {
  readonly passed: number;
  readonly failed: number;
  readonly waived: number;
  readonly skipped: number;
  readonly unknown: number;
}

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

export function boxScore(state: RunState): BoxScore {
  const cells = Object.values(state.baseline);
  const instances = Object.values(state.instances);
  return {
    passed: cells.filter((c) => c.status === 'pass').length + instances.filter((i) => i.state === 'succeeded').length,
    failed: cells.filter((c) => (c.status === 'fail' || c.status === 'error') && c.waiver === undefined).length + instances.filter((i) => i.state === 'failed').length,
    waived: cells.filter((c) => c.waiver !== undefined).length,
    skipped: instances.filter((i) => i.state === 'skipped').length,
    unknown: instances.filter((i) => i.state === 'unknown').length,
  };
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
