import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePlan, type Plan } from '../../../shared/plan';
import { INITIAL_RUN_STATE, instanceKey, type RunState, type StepInstance } from '../../../shared/run';
import { sameRow, stepLayout, stepRows } from '../../../renderer/screens/deploy/stepRows';

function examplePlan(): Plan {
  const dir = join(import.meta.dirname, '../../../resources/plans/example-plan');
  const parsed = parsePlan(readFileSync(join(dir, 'plan.yaml')), { fileName: 'plan.yaml' });
  if (!parsed.ok) throw new Error('the example plan should parse');
  return parsed.plan;
}

const instance = (stepId: string, host: string, over: Partial<StepInstance> = {}): StepInstance => ({
  stepId,
  host,
  state: 'succeeded',
  attempt: 1,
  outcome: { kind: 'exited', code: 0 },
  startedAt: '2026-03-14T22:10:00.000Z',
  endedAt: '2026-03-14T22:10:04.000Z',
  execId: 'e1',
  ...over,
});

// What the screen gets after each runs.changed: the state parsed again from JSON, new objects throughout.
const overTheWire = (state: RunState): RunState => JSON.parse(JSON.stringify(state)) as RunState;

describe('step list rows', () => {
  const plan = examplePlan();
  const layout = stepLayout(plan);
  const [first, second] = layout;
  if (first === undefined || second === undefined) throw new Error('the example plan has at least two steps');
  const host = first.hosts[0]!;
  const base: RunState = { ...INITIAL_RUN_STATE, instances: { [instanceKey(first.step.id, host)]: instance(first.step.id, host) } };

  it('lists every step in dependency order with an instance cell per host', () => {
    const rows = stepRows(layout, base);
    expect(rows.map((r) => r.step.id)).toEqual(layout.map((l) => l.step.id));
    expect(rows[0]!.cells.map((c) => c.host)).toEqual(first.hosts);
    expect(rows[0]!.cells[0]!.instance?.state).toBe('succeeded');
  });

  it('a refetched state that shows the same draws the same rows (nothing redraws)', () => {
    const before = stepRows(layout, base);
    const after = stepRows(layout, overTheWire({ ...base, headSeq: 99 }));
    expect(after.every((row, i) => sameRow(before[i]!, row))).toBe(true);
  });

  it('fields the list does not show (exec id, output hashes) do not redraw a row', () => {
    const before = stepRows(layout, base);
    const moved = overTheWire(base);
    const key = instanceKey(first.step.id, host);
    const after = stepRows(layout, { ...moved, instances: { [key]: { ...moved.instances[key]!, execId: 'e2', output: { stdout: { length: 5, sha256: 'x' }, stderr: { length: 0, sha256: 'y' } } } } });
    expect(sameRow(before[0]!, after[0]!)).toBe(true);
  });

  it('only the row whose instance changed state, outcome, attempt, time or host exclusion redraws', () => {
    const before = stepRows(layout, base);
    const key = instanceKey(first.step.id, host);
    const changes: RunState[] = [
      { ...base, instances: { [key]: instance(first.step.id, host, { state: 'failed', outcome: { kind: 'exited', code: 4 } }) } },
      { ...base, instances: { [key]: instance(first.step.id, host, { attempt: 2 }) } },
      { ...base, instances: { [key]: instance(first.step.id, host, { endedAt: '2026-03-14T22:10:09.000Z' }) } },
      { ...base, instances: { [key]: instance(first.step.id, host, { outcome: { kind: 'done', note: 'checked' } }) } },
      { ...base, stepEdits: { [first.step.id]: { run: 'true', reason: 'typo', seq: 5 } } },
    ];
    for (const change of changes) {
      const after = stepRows(layout, overTheWire(change));
      expect(sameRow(before[0]!, after[0]!)).toBe(false);
      expect(after.slice(1).every((row, i) => sameRow(before[i + 1]!, row))).toBe(true);
    }
    const excluded = stepRows(layout, overTheWire({ ...base, hosts: { [host]: { host, acceptedKeys: [], rejectedKeys: [], excluded: { reason: 'disk', seq: 3 } } } }));
    for (const [i, row] of excluded.entries()) expect(sameRow(before[i]!, row)).toBe(!row.cells.some((c) => c.host === host));
  });
});
