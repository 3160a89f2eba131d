import type { Plan } from '../plan';
import { parseTimestamp, selectHosts, stepOrder, tryParseDuration } from '../plan';
import { instanceKey } from './events';
import type { RunState } from './runState';

// Where the run stands against the outage window: time left, the point of no return, and
// whether the remaining steps fit. Pure, so the UI shows it live and the report can recompute it.

/** How long before the point of no return the technician is warned. */
export const POINT_OF_NO_RETURN_WARNING_MS = 15 * 60 * 1000;

export interface TimeStatus {
  readonly windowStartMs: number | undefined;
  readonly windowEndMs: number | undefined;
  readonly pointOfNoReturnMs: number | undefined;
  readonly started: boolean;
  /** Negative once the window is over. */
  readonly msLeftInWindow: number | undefined;
  readonly msToPointOfNoReturn: number | undefined;
  readonly warnPointOfNoReturn: boolean;
  readonly pastPointOfNoReturn: boolean;
  /** The longest chain of remaining work by the plan's estimates (serial steps take their rounds). */
  readonly remainingEstimateMs: number;
  /** Remaining steps with no estimate: the forecast is short by their time. */
  readonly unestimatedSteps: readonly string[];
  readonly fitsWindow: boolean | undefined;
}

const DONE = new Set(['succeeded', 'skipped']);

export function timeStatus(plan: Plan, state: RunState, nowMs: number): TimeStatus {
  const windowStartMs = parseTimestamp(plan.outage.start);
  const windowEndMs = parseTimestamp(plan.outage.end);
  const pointOfNoReturnMs = parseTimestamp(plan.outage.pointOfNoReturn);
  const msToPointOfNoReturn = pointOfNoReturnMs === undefined ? undefined : pointOfNoReturnMs - nowMs;
  const { remainingEstimateMs, unestimatedSteps } = remainingWork(plan, state);
  const msLeftInWindow = windowEndMs === undefined ? undefined : windowEndMs - nowMs;
  return {
    windowStartMs,
    windowEndMs,
    pointOfNoReturnMs,
    started: windowStartMs !== undefined && nowMs >= windowStartMs,
    msLeftInWindow,
    msToPointOfNoReturn,
    warnPointOfNoReturn: msToPointOfNoReturn !== undefined && msToPointOfNoReturn > 0 && msToPointOfNoReturn <= POINT_OF_NO_RETURN_WARNING_MS,
    pastPointOfNoReturn: msToPointOfNoReturn !== undefined && msToPointOfNoReturn < 0,
    remainingEstimateMs,
    unestimatedSteps,
    // Work cannot start before the window opens: count from whichever is later.
    fitsWindow: windowEndMs === undefined ? undefined : Math.max(nowMs, windowStartMs ?? nowMs) + remainingEstimateMs <= windowEndMs,
  };
}

function remainingWork(plan: Plan, state: RunState): { remainingEstimateMs: number; unestimatedSteps: string[] } {
  const finishAt = new Map<string, number>();
  const unestimated: string[] = [];
  const steps = new Map(plan.steps.map((s) => [s.id, s]));
  let longest = 0;
  for (const id of stepOrder(plan)) {
    const step = steps.get(id)!;
    const left = selectHosts(plan, step.hosts).filter((host) => !DONE.has(state.instances[instanceKey(id, host)]?.state ?? 'pending')).length;
    const estimate = step.estimate === undefined ? undefined : tryParseDuration(step.estimate);
    if (left > 0 && estimate === undefined) unestimated.push(id);
    const rounds = left === 0 ? 0 : step.serial === undefined ? 1 : Math.ceil(left / step.serial);
    const start = Math.max(0, ...step.needs.map((need) => finishAt.get(need) ?? 0));
    const end = start + rounds * (estimate ?? 0);
    finishAt.set(id, end);
    longest = Math.max(longest, end);
  }
  return { remainingEstimateMs: longest, unestimatedSteps: unestimated };
}
