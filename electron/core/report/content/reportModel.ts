import type { Plan } from '../../../../shared/plan';
import { boxScore, instanceKey, type RunState, type StepOutcome } from '../../../../shared/run';
import { attachmentBundleName } from '../attachments/bundleName';
import { targetKey, targetLabel } from '../attachments/attachmentTarget';

// report.json: a pure function of the plan, the folded run and the journal head, so the same run
// always yields the same signed body. Everything a reader needs to judge the visit is here; the
// full output is in the bundle's journal and output files.

export const REPORT_FORMAT = 'fieldrun-report/1';

export interface ReportContext {
  readonly plan: Plan;
  readonly planHash: string;
  readonly state: RunState;
  readonly technician: { readonly name: string; readonly keyFingerprint: string };
  readonly appVersion: string;
  /** When the report was made (UTC, RFC 3339): the end of the time span for a run not yet done. */
  readonly generatedAt: string;
  /** Whether the plan's signer is trusted (from the plan store); absent when unknown. */
  readonly planSignature?: string;
  /** The technician's note when they accepted an unsigned or untrusted plan at import. */
  readonly planAcknowledgement?: string;
}

export type { BoxScore } from '../../../../shared/run';

export interface ReportDeviation {
  readonly kind: string;
  readonly subject: string;
  readonly reason: string;
  readonly seq: number;
  readonly timeUtc: string;
}

export interface TimelineEntry {
  readonly stepId: string;
  readonly title: string;
  readonly host: string;
  readonly state: string;
  readonly attempt: number;
  readonly startedUtc: string | null;
  readonly endedUtc: string | null;
  readonly durationMs: number | null;
  readonly exitCode: number | null;
  readonly outcome: string;
  /** Instance key, to find the output excerpt and the full output streams. */
  readonly key: string;
  readonly streams: { readonly stdout: string; readonly stderr: string } | null;
}

export type ReportModel = ReturnType<typeof buildReport>;

function outcomeText(outcome: StepOutcome | undefined): string {
  if (outcome === undefined) return 'not ended';
  switch (outcome.kind) {
    case 'exited':
      return `exit ${outcome.code}`;
    case 'signalled':
      return `signal ${outcome.signal}`;
    case 'unknown':
      return `unknown: ${outcome.reason}`;
    case 'error':
      return `${outcome.code}: ${outcome.message}`;
    case 'done':
      return outcome.note === '' ? 'done' : `done: ${outcome.note}`;
  }
}

/** The site's wall-clock time, so the client reads the times they lived through. */
function siteTime(utc: string | undefined, timeZone: string): string | null {
  if (utc === undefined) return null;
  try {
    return new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'medium' }).format(new Date(utc)) + ` ${timeZone}`;
  } catch {
    return null;
  }
}

/**
 * Builds report.json. `eventTimes` maps a journal seq to its UTC time so that durations come from
 * the journal itself, not from anyone's clock at export time.
 */
export function buildReport(context: ReportContext, eventTimes: ReadonlyMap<number, string>) {
  const { plan, state } = context;
  const timeOf = (seq: number | undefined): string | null => (seq === undefined ? null : (eventTimes.get(seq) ?? null));

  const baseline = Object.values(state.baseline)
    .map((cell) => ({
      checkId: cell.checkId,
      title: plan.baseline.find((c) => c.id === cell.checkId)?.title ?? cell.checkId,
      host: cell.host,
      status: cell.status,
      waived: cell.waiver?.reason ?? null,
      expected: cell.expected ?? '',
      found: cell.found ?? '',
      summary: cell.summary ?? '',
      exitCode: cell.exitCode ?? null,
    }))
    .sort((a, b) => a.checkId.localeCompare(b.checkId) || a.host.localeCompare(b.host));

  const timeline: TimelineEntry[] = Object.values(state.instances)
    .map((i) => {
      const started = timeOf(i.startedSeq);
      const ended = timeOf(i.endedSeq);
      return {
        stepId: i.stepId,
        title: plan.steps.find((s) => s.id === i.stepId)?.title ?? i.stepId,
        host: i.host,
        state: i.state,
        attempt: i.attempt,
        startedUtc: started,
        endedUtc: ended,
        durationMs: started !== null && ended !== null ? Math.max(0, Date.parse(ended) - Date.parse(started)) : null,
        exitCode: i.outcome?.kind === 'exited' ? i.outcome.code : null,
        outcome: i.state === 'skipped' ? `skipped: ${i.skipReason ?? ''}` : outcomeText(i.outcome),
        key: instanceKey(i.stepId, i.host),
        streams: i.streams ?? null,
      };
    })
    .sort((a, b) => (a.startedUtc ?? '~').localeCompare(b.startedUtc ?? '~') || a.key.localeCompare(b.key));

  const box = boxScore(state);

  const deviations: ReportDeviation[] = state.deviations.map((d) => ({ kind: d.kind, subject: d.subject, reason: d.text, seq: d.seq, timeUtc: d.timeUtc }));
  if (context.planAcknowledgement !== undefined) {
    deviations.push({ kind: 'untrusted-plan-acknowledged', subject: context.planHash, reason: context.planAcknowledgement, seq: 0, timeUtc: '' });
  }
  for (const flag of state.acknowledgedFlags) deviations.push({ kind: 'flag-acknowledged', subject: flag, reason: 'yellow flag acknowledged by the technician', seq: 0, timeUtc: '' });
  for (const host of Object.values(state.hosts)) {
    if (host.clock?.flagged === true) {
      const seq = host.clock.seq;
      deviations.push({ kind: 'clock-skew', subject: host.host, reason: `host clock differs from the laptop by ${host.clock.skewS} s`, seq, timeUtc: timeOf(seq) ?? '' });
    }
  }
  deviations.sort((a, b) => a.seq - b.seq || a.kind.localeCompare(b.kind));

  const startUtc = state.createdAt ?? null;
  const lastPhase = state.phaseChanges[state.phaseChanges.length - 1];
  const endUtc = state.phase === 'done' || state.phase === 'aborted' ? (lastPhase?.timeUtc ?? context.generatedAt) : context.generatedAt;
  const tz = plan.outage.timeZone;

  return {
    format: REPORT_FORMAT,
    runId: state.runId ?? '',
    phase: state.phase ?? 'unknown',
    abortReason: state.abortReason ?? null,
    summary: box,
    plan: {
      id: plan.metadata.id,
      version: plan.metadata.version,
      title: plan.metadata.title,
      hash: context.planHash,
      signature: context.planSignature ?? null,
    },
    client: plan.metadata.client,
    site: plan.metadata.site,
    technician: { name: context.technician.name, keyFingerprint: context.technician.keyFingerprint },
    appVersion: context.appVersion,
    timeSpan: { startUtc, endUtc, startSite: siteTime(startUtc ?? undefined, tz), endSite: siteTime(endUtc, tz), timeZone: tz },
    hosts: plan.hosts.map((h) => {
      const facts = state.hosts[h.name];
      return {
        name: h.name,
        address: h.address,
        pinned: h.hostKeys.map((k) => `${k.type} ${k.fingerprint}`),
        seen: facts?.connected === undefined ? null : { keyType: facts.connected.keyType, fingerprint: facts.connected.fingerprint, verdict: facts.connected.hostKeyVerdict },
        acceptedByTechnician: [...(facts?.acceptedKeys ?? [])],
        excluded: facts?.excluded?.reason ?? null,
      };
    }),
    checklist: plan.checklist.map((item) => {
      const tick = state.checklist[item.id];
      return { id: item.id, text: item.text, required: item.required, tickedUtc: tick?.timeUtc ?? null, note: tick?.note ?? '' };
    }),
    baseline,
    timeline,
    rollbacks: Object.values(state.rollbacks).map((r) => ({ stepId: r.stepId, host: r.host, state: r.state, outcome: outcomeText(r.outcome) })),
    adhoc: state.adhoc.map((a) => ({ host: a.host, command: a.command, reason: a.reason, outcome: outcomeText(a.outcome), streams: a.streams })),
    deviations,
    unknownSteps: Object.values(state.instances).filter((i) => i.state === 'unknown').map((i) => instanceKey(i.stepId, i.host)).sort(),
    handover: {
      items: plan.handover.items.map((item) => {
        const tick = state.handover[item.id];
        return { id: item.id, text: item.text, required: item.required, tickedUtc: tick?.timeUtc ?? null, note: tick?.note ?? '' };
      }),
      signOffs: plan.handover.signOff.map((s) => {
        const signed = state.signOffs[s.role];
        return {
          role: s.role,
          meaning: s.title,
          name: signed?.name ?? null,
          title: signed?.title ?? null,
          signedUtc: signed?.timeUtc ?? null,
          signaturePngSha256: signed?.signature?.sha256 ?? null,
        };
      }),
    },
    // Photos and files by what they belong to; `file` is their path in the bundle (listed in the manifest).
    attachments: state.attachments.map((a) => ({
      id: a.id,
      target: a.target,
      targetKey: targetKey(a.target),
      targetLabel: targetLabel(plan, a.target),
      name: a.name,
      mediaType: a.mediaType,
      size: a.size,
      sha256: a.sha256,
      caption: a.caption,
      addedUtc: a.timeUtc,
      file: `attachments/${attachmentBundleName(a.sha256, a.name)}`,
    })),
    journal: { headSeq: state.headSeq, headHash: state.headHash ?? '' },
  };
}
