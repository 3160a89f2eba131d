import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { checkAgainstHosts } from '../../faults/crashHostChecks';
import { checkAfterReopen, crashLoopSecrets, runRunnerCrashLoop, type RunnerCrashResult } from '../../faults/crashLoop';
import { formatTotals, newTotals, totalLosses } from '../../faults/totals';
import { EXAMPLE_LAB, startTestLab, type TestLab } from '../../hosts';
import { labCore, mkdtempSync, removeTempDirs } from './runLab';

// A headless runner is SIGKILLed at random moments of a deployment, again and again, and the run
// reopened each time. Reopening reattaches to what was running, so no step stays `running`; no
// event the runner was told was committed is ever missing; on the hosts no step ran twice, and
// every exit code and output the journal holds is the one the host saw. The loop lives in
// test/faults/crashLoop.ts (`npm run faults` runs it at full count); here it runs at a small
// count, and its checks are shown to catch losses planted afterwards.

const MIN_KILLS = 30;

let lab: TestLab;
let loop: RunnerCrashResult;

beforeAll(async () => {
  lab = await startTestLab({ hosts: EXAMPLE_LAB, exampleAddresses: true });
});

afterAll(async () => {
  await lab?.stop();
  removeTempDirs();
});

test(`a runner SIGKILLed at least ${MIN_KILLS} times mid-deployment loses nothing and runs no step twice`, { timeout: 600_000 }, async () => {
  loop = await runRunnerCrashLoop({ lab, kills: MIN_KILLS, workDir: mkdtempSync(join(tmpdir(), 'fieldrun-runner-crash-')) });
  console.log(formatTotals(loop.totals));
  expect(loop.totals.findings).toEqual([]);
  expect(totalLosses(loop.totals)).toBe(0);
  expect(loop.kills).toBeGreaterThanOrEqual(MIN_KILLS);
  expect(loop.completedRuns).toBeGreaterThanOrEqual(1);
});

test('the host checks count a step run twice and an exit code the host never saw', () => {
  expect(loop?.lastRunId, 'the loop above completed no run').toBeDefined();
  const runId = loop.lastRunId!;
  const core = labCore(lab, loop.dataDir);
  try {
    const clean = newTotals('planted');
    checkAgainstHosts(lab, core, runId, clean);
    expect(totalLosses(clean)).toBe(0);

    // A step the journal says exited 0 (not a sudo step, whose logs are root's; not backup-db,
    // which runs twice by design): its host now says it ran again, and exited 1.
    const ended = Object.values(core.runner.get(runId).state.instances).find(
      (i) => i.action === 'run' && i.outcome?.kind === 'exited' && i.outcome.code === 0 && !['prepare', 'backup-db'].includes(i.stepId),
    );
    expect(ended).toBeDefined();
    const { stepId, host } = ended!;
    appendFileSync(lab.host(host).pathOnHost('~/ran.log'), `${stepId}\n`);
    const exits = lab.host(host).pathOnHost('~/exits.log');
    writeFileSync(exits, readFileSync(exits, 'utf8').replace(`${stepId} 0`, `${stepId} 1`));
    const planted = newTotals('planted');
    checkAgainstHosts(lab, core, runId, planted);
    expect(planted.losses).toMatchObject({ stepsRunTwice: 1, wronglySucceeded: 1 });
  } finally {
    core.close();
  }
});

test('the reopen checks count an acknowledged event that went missing', async () => {
  expect(loop?.lastRunId, 'the loop above completed no run').toBeDefined();
  const runId = loop.lastRunId!;
  const db = new Database(join(loop.dataDir, 'fieldrun.db'));
  let head: { seq: number; hash: string };
  try {
    head = db.prepare('SELECT seq, hash FROM journal WHERE run_id = ? ORDER BY seq DESC LIMIT 1').get(runId) as { seq: number; hash: string };
    db.exec('DROP TRIGGER journal_no_delete');
    db.prepare('DELETE FROM journal WHERE run_id = ? AND seq = ?').run(runId, head.seq);
  } finally {
    db.close();
  }
  const totals = newTotals('planted');
  await checkAfterReopen(lab, loop.dataDir, runId, [head], crashLoopSecrets(lab), totals, 'planted');
  expect(totals.losses).toMatchObject({ eventsLost: 1, chainBreaks: 0 });
});
