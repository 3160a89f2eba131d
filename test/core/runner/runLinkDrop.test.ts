import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkTrial, linkFaultCore, runLinkFaults, type LinkFaultResult } from '../../faults/linkFaults';
import { formatTotals, newTotals, totalLosses } from '../../faults/totals';
import { startTestLab, type TestLab } from '../../hosts';
import { mkdtempSync, removeTempDirs, stateOf } from './runLab';

// The link to one host goes down in the middle of a step for longer than the keepalive allows:
// the step on the other host carries on, and when the link comes back the runner reattaches and
// records the step's real outcome, with its output complete and nothing run twice. The trials
// live in test/faults/linkFaults.ts (`npm run faults` runs many, with packet loss too); here one
// pair runs, and the trial check is shown to catch losses planted on the host afterwards.

const KEEPALIVE = { intervalMs: 500, countMax: 2 };

let lab: TestLab;
let dataDir: string;
let result: LinkFaultResult;

beforeAll(async () => {
  lab = await startTestLab({ hosts: ['web1', 'web2'] });
  dataDir = mkdtempSync(join(tmpdir(), 'fieldrun-link-data-'));
});

afterAll(async () => {
  await lab?.stop();
  removeTempDirs();
});

it('recovers the real outcome of a step whose link dropped, while the other host goes on', async () => {
  result = await runLinkFaults({ lab, hosts: ['web1', 'web2'], trials: 2, dataDir, keepalive: KEEPALIVE, lines: [15, 20], kinds: ['drop-long', 'none'] });
  console.log(formatTotals(result.totals));
  expect(result.totals.findings).toEqual([]);
  expect(totalLosses(result.totals)).toBe(0);
  expect(result.totals.faultsInjected).toBe(1);
  expect(result.totals.notes['unknown outcomes']).toBeUndefined();
  // The outcome came through a second login: the runner reconnected and reattached.
  expect(result.totals.notes['trials reattached through a new login']).toBeGreaterThanOrEqual(1);
});

it('the trial check counts a second execution and output the store never got', async () => {
  const trial = result.trials.find((t) => t.fault === 'drop-long')!;
  const core = linkFaultCore(lab, dataDir, KEEPALIVE);
  try {
    const { state } = await stateOf(core, trial.runId);
    const clean = newTotals('planted');
    checkTrial(lab, core, state, trial, clean);
    expect(totalLosses(clean)).toBe(0);

    appendFileSync(lab.host(trial.host).pathOnHost('~/trial.log'), `start ${trial.stepId}\n`);
    appendFileSync(lab.host(trial.host).pathOnHost(`~/.fieldrun/runs/${state.instances[`${trial.stepId}@${trial.host}`]!.execId!}/err`), 'one more line\n');
    const planted = newTotals('planted');
    checkTrial(lab, core, state, trial, planted);
    expect(planted.losses).toMatchObject({ stepsRunTwice: 1, outputLost: 1 });

    // The other host's copy now ends a line earlier than what was stored: bytes stored twice look so.
    const other = result.trials.find((t) => t.fault === 'none')!;
    const otherState = (await stateOf(core, other.runId)).state;
    const out = lab.host(other.host).pathOnHost(`~/.fieldrun/runs/${otherState.instances[`${other.stepId}@${other.host}`]!.execId!}/out`);
    const text = readFileSync(out, 'utf8');
    writeFileSync(out, text.slice(0, text.lastIndexOf('line ')));
    const duplicated = newTotals('planted');
    checkTrial(lab, core, otherState, other, duplicated);
    expect(duplicated.losses.outputDuplicated).toBe(1);
  } finally {
    core.close();
  }
});
