import type { RecordedEvent, RunState } from '../../shared/run';

// The table a headless run ends with: which step instances were exercised and how they ended.
// Durations come from the journal's own timestamps of the instance's start and end events.

const seconds = (from: string | undefined, to: string | undefined): string => {
  if (from === undefined || to === undefined) return '-';
  const ms = Date.parse(to) - Date.parse(from);
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
};

function outcomeOf(i: RunState['instances'][string]): string {
  const o = i.outcome;
  if (i.state === 'skipped') return `skipped${i.skipReason === undefined ? '' : ` (${i.skipReason})`}`;
  if (o === undefined) return i.state;
  if (o.kind === 'exited') return `${i.state} (exit ${o.code})`;
  if (o.kind === 'signalled') return `${i.state} (signal ${o.signal})`;
  return `${i.state} (${o.kind})`;
}

export interface ExercisedStep {
  readonly step: string;
  readonly host: string;
  readonly outcome: string;
  readonly duration: string;
}

/** Step instances in the order they started (never-started ones last). */
export function exercisedSteps(state: RunState, events: readonly RecordedEvent[]): ExercisedStep[] {
  const timeOf = new Map(events.map((e) => [e.seq, e.timeUtc]));
  return Object.values(state.instances)
    .sort((a, b) => (a.startedSeq ?? Infinity) - (b.startedSeq ?? Infinity))
    .map((i) => ({
      step: i.stepId,
      host: i.host,
      outcome: outcomeOf(i),
      duration: seconds(i.startedSeq === undefined ? undefined : timeOf.get(i.startedSeq), i.endedSeq === undefined ? undefined : timeOf.get(i.endedSeq)),
    }));
}

export function formatRunSummary(steps: readonly ExercisedStep[]): string {
  const rows = steps.map((s) => [s.step, s.host, s.outcome, s.duration]);
  const header = ['step', 'host', 'outcome', 'duration'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]): string => cells.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
