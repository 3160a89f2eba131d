// How long a step attempt or a baseline check took, from its journal times: finished ones by
// end − start, one still going by now − start (shown as elapsed and kept ticking on screen).
export interface DurationView {
  readonly ms: number;
  /** Still going: the figure grows with the clock. */
  readonly live: boolean;
}

/** `going` says the thing is still running or waiting; an unparseable or missing start gives nothing. */
export function durationOf(startedAt: string | undefined, endedAt: string | undefined, going: boolean, nowMs: number): DurationView | undefined {
  if (startedAt === undefined) return undefined;
  const start = Date.parse(startedAt);
  if (Number.isNaN(start)) return undefined;
  if (endedAt !== undefined) {
    const end = Date.parse(endedAt);
    return Number.isNaN(end) ? undefined : { ms: Math.max(0, end - start), live: false };
  }
  // Ended without an end time (skipped after a failure, say): no figure rather than a growing one.
  return going ? { ms: Math.max(0, nowMs - start), live: true } : undefined;
}
