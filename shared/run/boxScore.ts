import type { RunState } from './runState';

/** The report's summary box: baseline checks and step instances by outcome. */
export interface BoxScore {
  readonly passed: number;
  readonly failed: number;
  readonly waived: number;
  readonly skipped: number;
  readonly unknown: number;
}

// One definition for report.json and the Report screen's preview, so the two never disagree.
// A waived check counts as waived, not failed; an error counts as failed.
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
