import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePlan, type Plan } from '../../../shared/plan';
import { foldRun, timeStatus, type RecordedEvent } from '../../../shared/run';
import { EXAMPLE_PLAN_DIR } from './runLab';

// The example plan's window: 22:00–02:00 Paris time (21:00–01:00 UTC), point of no return 00:30.

function examplePlan(): Plan {
  const parsed = parsePlan(readFileSync(join(EXAMPLE_PLAN_DIR, 'plan.yaml'), 'utf8'), { fileName: 'plan.yaml' });
  if (!parsed.ok) throw new Error('the example plan does not parse');
  return parsed.plan;
}

const created: RecordedEvent = { runId: 'r', seq: 1, timeUtc: '2026-12-05T20:00:00Z', type: 'run.created', payload: { planHash: 'a'.repeat(64) }, hash: 'h1' };
const at = (iso: string): number => Date.parse(iso);

describe('timeStatus', () => {
  it('forecasts the longest remaining chain by estimates, serial steps in rounds', () => {
    const status = timeStatus(examplePlan(), foldRun([created]), at('2026-12-05T21:00:00Z'));
    // announce 5m → prepare (none) → backup-db 10m → … migrate-db 5m → start-app 1m → switch-web 2 × 2m → smoke-test 10m
    expect(status.remainingEstimateMs).toBe((5 + 10 + 5 + 1 + 4 + 10) * 60_000);
    expect(status.unestimatedSteps).toEqual(['prepare', 'upload-migration', 'configure-app']);
    expect(status.started).toBe(true);
    expect(status.fitsWindow).toBe(true);
    expect(status.msLeftInWindow).toBe(4 * 3600_000);
  });

  it('warns before the point of no return and says when it is past', () => {
    const plan = examplePlan();
    const state = foldRun([created]);
    expect(timeStatus(plan, state, at('2026-12-05T23:20:00Z'))).toMatchObject({ warnPointOfNoReturn: true, pastPointOfNoReturn: false, msToPointOfNoReturn: 10 * 60_000 });
    expect(timeStatus(plan, state, at('2026-12-05T23:31:00Z'))).toMatchObject({ warnPointOfNoReturn: false, pastPointOfNoReturn: true });
    expect(timeStatus(plan, state, at('2026-12-06T00:30:00Z')).fitsWindow).toBe(false);
  });

  it('counts only what is left', () => {
    const events: RecordedEvent[] = [created];
    let seq = 1;
    for (const [stepId, host] of [['announce', 'jump1'], ['smoke-test', 'web1']] as const) {
      seq += 1;
      events.push({ runId: 'r', seq, timeUtc: created.timeUtc, type: 'step.skipped', payload: { stepId, host, reason: 'test' }, hash: `h${seq}` });
    }
    expect(timeStatus(examplePlan(), foldRun(events), at('2026-12-05T21:00:00Z')).remainingEstimateMs).toBe((10 + 5 + 1 + 4) * 60_000);
  });
});
