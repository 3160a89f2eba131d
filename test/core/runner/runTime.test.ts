import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createCore, type Core } from '../../../electron/core/core';
import { call } from './runLab';

// runs.get tells the technician where they stand in the outage window (example plan: 22:00 to
// 02:00 Paris time, point of no return 00:30), on the laptop's clock.
let work: string | undefined;
let core: Core | undefined;
afterEach(() => {
  core?.close();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

async function runAt(isoTime: string): Promise<Awaited<ReturnType<typeof call<'runs.get'>>>> {
  core?.close();
  work ??= mkdtempSync(join(tmpdir(), 'fieldrun-time-'));
  core = createCore({ dataDir: join(work, 'data'), runner: { now: () => Date.parse(isoTime) } });
  const { plan } = await call(core, 'plans.import', { source: { kind: 'path', path: resolve('resources/plans/example-plan') }, acknowledgeUntrusted: { note: 'test' } });
  const { runId } = await call(core, 'runs.create', { planHash: plan.hash });
  return call(core, 'runs.get', { runId });
}

it('before the window: not started, the remaining steps fit', async () => {
  const { time } = await runAt('2026-12-05T20:00:00Z');
  expect(time).toMatchObject({ started: false, pastPointOfNoReturn: false, warnPointOfNoReturn: false, fitsWindow: true });
});

it('ten minutes before the point of no return: warned', async () => {
  const { time } = await runAt('2026-12-05T23:20:00Z');
  expect(time).toMatchObject({ started: true, warnPointOfNoReturn: true, pastPointOfNoReturn: false });
  expect(time.msToPointOfNoReturn).toBe(10 * 60 * 1000);
});

it('past the point of no return and too late for the remaining steps', async () => {
  const { time } = await runAt('2026-12-06T00:59:00Z');
  expect(time).toMatchObject({ pastPointOfNoReturn: true, fitsWindow: false });
});
