// The runner's SIGKILL loop: a headless runner (test/core/runner/fixtures/runnerChild.ts) deploys
// the story plan on the example lab and is SIGKILLed at random moments, again and again; after
// each kill the data folder is reopened as the app would reopen it (which reattaches to what was
// running). Each reopen checks the database, the chain and every event the runner acknowledged;
// each finished run checks the journal against the hosts' own records: how often each step ran,
// with which exit code, and the bytes of its output.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse, stringify } from 'yaml';
import type { RunState } from '../../shared/run';
import { acknowledgeAllFlags, call, labCore, stateOf, storyPlanDir } from '../core/runner/runLab';
import type { TestLab } from '../hosts';
import { killIfAlive, onLines, spawnTsx, waitForClose } from './children';
import { checkAgainstHosts, STORY_HOSTS } from './crashHostChecks';
import { countNote, newTotals, recordLoss, type FaultTotals } from './totals';

const CHILD = join(import.meta.dirname, '../core/runner/fixtures/runnerChild.ts');
const HOST_LOGS = ['~/ran.log', '/tmp/ran-as-root.log', '~/exits.log', '/tmp/exits-as-root.log', '~/backup-attempts'];
/** Reopens of one run before the loop gives up on it reaching handover. */
const MAX_ROUNDS_PER_RUN = 200;

export interface RunnerCrashOptions {
  readonly lab: TestLab;
  /** At least this many kills; the loop ends with the run it is in, at handover. */
  readonly kills: number;
  /** A fresh folder for the data folder and the runner's configuration. */
  readonly workDir: string;
  readonly log?: (line: string) => void;
}

export interface RunnerCrashResult {
  readonly totals: FaultTotals;
  readonly kills: number;
  readonly completedRuns: number;
  /** The data folder and the last run that reached handover (its host records are still on the hosts). */
  readonly dataDir: string;
  readonly lastRunId: string | undefined;
}

/**
 * The story plan, each `run` step wrapped so that the host itself records the exit code of every
 * execution (`<step> <code>` in exits.log) next to the story's ran.log line at its start.
 */
export function recordingStoryPlanDir(): string {
  const dir = storyPlanDir();
  const file = join(dir, 'plan.yaml');
  const doc = parse(readFileSync(file, 'utf8')) as { steps: Array<Record<string, unknown>> };
  for (const step of doc.steps) {
    if (typeof step['run'] !== 'string') continue;
    const log = step['sudo'] === true ? '/tmp/exits-as-root.log' : '"$HOME/exits.log"';
    step['run'] = `(\n${step['run']}\n)\nfr_code=$?\necho "${String(step['id'])} $fr_code" >> ${log}\nexit $fr_code`;
  }
  writeFileSync(file, stringify(doc));
  return dir;
}

export const crashLoopSecrets = (lab: TestLab): Record<string, string> => ({ db_password: 'crash-test-pw', sudo: lab.user.sudoPassword });

export async function runRunnerCrashLoop(options: RunnerCrashOptions): Promise<RunnerCrashResult> {
  const started = performance.now();
  const { lab } = options;
  const totals = newTotals('crash (headless runner SIGKILL, sshd lab)');
  const dataDir = join(options.workDir, 'data');
  const secrets = crashLoopSecrets(lab);
  const setup = labCore(lab, dataDir);
  let planHash: string;
  try {
    planHash = (await call(setup, 'plans.import', { source: { kind: 'path', path: recordingStoryPlanDir() }, acknowledgeUntrusted: { note: 'crash loop copy' } })).plan.hash;
  } finally {
    setup.close();
  }

  let kills = 0;
  let completedRuns = 0;
  let lastRunId: string | undefined;
  while (kills < options.kills) {
    clearHostLogs(lab);
    const runId = await preparedRun(lab, dataDir, planHash);
    totals.runs += 1;
    const configPath = join(options.workDir, `${runId}.json`);
    writeFileSync(configPath, JSON.stringify({ dataDir, runId, keyPath: lab.user.privateKeyPath, secrets }));
    let state: RunState | undefined;
    let round = 0;
    for (; state?.phase !== 'handover' && round < MAX_ROUNDS_PER_RUN; round++) {
      const context = `run ${runId}, round ${round}`;
      // On a loaded machine a child may do little before its kill: later rounds of a run give it longer.
      const result = await runChild(configPath, 700 * (1 + Math.floor(round / 20)));
      if (result.failure !== undefined) {
        recordLoss(totals, 'harnessErrors', `${context}: ${result.failure}`);
        break;
      }
      if (result.killed) {
        kills += 1;
        totals.faultsInjected += 1;
      }
      state = await checkAfterReopen(lab, dataDir, runId, result.acked, secrets, totals, `${context}${result.killed ? ', after a kill' : ''}`);
      if (options.log !== undefined && result.killed && kills % 25 === 0) options.log(`  runner crash loop: ${kills}/${options.kills} kills`);
    }
    if (state?.phase !== 'handover') {
      recordLoss(totals, 'harnessErrors', `run ${runId} did not reach handover in ${round} rounds (phase ${state?.phase ?? 'unknown'})`);
      break;
    }
    completedRuns += 1;
    lastRunId = runId;
    const core = labCore(lab, dataDir);
    try {
      checkAgainstHosts(lab, core, runId, totals);
    } finally {
      core.close();
    }
  }
  countNote(totals, 'completed runs', completedRuns);
  totals.wallMs = performance.now() - started;
  return { totals, kills, completedRuns, dataDir, lastRunId };
}

/** A run with its checklist ticked and its baseline clear, ready to deploy. */
async function preparedRun(lab: TestLab, dataDir: string, planHash: string): Promise<string> {
  const core = labCore(lab, dataDir);
  try {
    const { runId } = await call(core, 'runs.create', { planHash });
    let { seq } = await stateOf(core, runId);
    for (const itemId of ['backup-confirmed', 'outage-agreed', 'contacts-reachable', 'contingency-understood']) {
      ({ seq } = await call(core, 'runs.checklist.tick', { runId, expectSeq: seq, itemId }));
    }
    await call(core, 'runs.baseline.run', { runId, expectSeq: seq });
    await core.runner.idle(runId);
    let { state } = await stateOf(core, runId);
    ({ seq } = await stateOf(core, runId));
    const key = state.questions.find((q) => q.kind === 'host-key');
    if (key !== undefined) {
      ({ seq } = await call(core, 'runs.answer', { runId, expectSeq: seq, questionId: key.id, answer: { kind: 'host-key', decision: 'accept' } }));
      await call(core, 'runs.baseline.run', { runId, expectSeq: seq, only: { host: 'app1' } });
      await core.runner.idle(runId);
    }
    ({ state, seq } = await stateOf(core, runId));
    for (const cell of Object.values(state.baseline).filter((c) => c.status !== 'pass')) {
      ({ seq } = await call(core, 'runs.baseline.waive', { runId, expectSeq: seq, checkId: cell.checkId, host: cell.host, reason: 'crash loop' }));
    }
    await acknowledgeAllFlags(core, runId);
    return runId;
  } finally {
    core.close();
  }
}

function clearHostLogs(lab: TestLab): void {
  for (const host of STORY_HOSTS) for (const path of HOST_LOGS) rmSync(lab.host(host).pathOnHost(path), { force: true });
}

interface Round {
  readonly acked: Array<{ seq: number; hash: string }>;
  readonly killed: boolean;
  readonly failure?: string;
}

async function runChild(configPath: string, maxDelayMs: number): Promise<Round> {
  const child = spawnTsx(CHILD, [configPath]);
  const acked: Array<{ seq: number; hash: string }> = [];
  let done = false;
  let stderr = '';
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => (stderr += text));
  onLines(child, (line) => {
    if (line === 'ready') markReady();
    else if (line === 'done') done = true;
    else if (line.startsWith('ack ')) {
      const [, seq, hash] = line.split(' ');
      acked.push({ seq: Number(seq), hash: hash ?? '' });
    }
  });
  const exited = waitForClose(child);
  try {
    await Promise.race([ready, exited]);
    // Mostly mid-deployment; sometimes right at the start, while the run is being reopened.
    await Promise.race([sleep(Math.random() < 0.2 ? Math.random() * 50 : Math.random() * maxDelayMs), exited]);
    let killed = false;
    if (child.exitCode === null && child.signalCode === null && !done) {
      child.kill('SIGKILL');
      killed = true;
    }
    await exited;
    if (!killed && child.exitCode !== 0) return { acked, killed, failure: `the runner child failed (${child.exitCode ?? child.signalCode}): ${stderr}` };
    return { acked, killed };
  } finally {
    killIfAlive(child);
  }
}

/** Reopens the data folder as the app would after the crash, and counts what is missing or broken. */
export async function checkAfterReopen(
  lab: TestLab,
  dataDir: string,
  runId: string,
  acked: ReadonlyArray<{ seq: number; hash: string }>,
  secrets: Readonly<Record<string, string>>,
  totals: FaultTotals,
  context: string,
): Promise<RunState> {
  const core = labCore(lab, dataDir);
  try {
    const integrity = core.store.db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') recordLoss(totals, 'corruptDatabases', `${context}: integrity_check says ${String(integrity)}`);
    await stateOf(core, runId);
    // As the technician would after a restart: the secrets again, then reattaching can store output.
    await call(core, 'runs.secrets.provide', { runId, values: secrets });
    await core.runner.idle(runId);
    const { state } = await stateOf(core, runId);
    for (const instance of Object.values(state.instances)) {
      if (instance.state === 'running') recordLoss(totals, 'stepsLeftRunning', `${context}: ${instance.stepId}@${instance.host} attempt ${instance.attempt}`);
    }
    for (const { seq, hash } of acked) {
      const stored = core.store.journal.read(runId, { fromSeq: seq, limit: 1 })[0];
      if (stored?.seq !== seq || stored.hash !== hash) recordLoss(totals, 'eventsLost', `${context}: acknowledged event #${seq} is ${stored?.seq === seq ? 'changed' : 'missing'}`);
    }
    const chain = core.store.journal.verifyChain(runId);
    if (!chain.ok) recordLoss(totals, 'chainBreaks', `${context}: breaks at seq ${chain.brokenAtSeq}: ${chain.reason}`);
    return state;
  } finally {
    core.close();
  }
}
