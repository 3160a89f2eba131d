// Link faults: many short trials of a command on the sshd lab hosts while the link to its host
// goes down (briefly, or long enough for the keepalive to give up) or loses packets. Each trial
// is one step instance; the run's journal is then checked against the host's own records: the
// step's own log (it ran once, with this exit code) and the wrapper's copy of its output (every
// byte stored once, in order, after any number of reattachments).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunState } from '../../shared/run';
import { createCore, type Core } from '../../electron/core/core';
import { baselinedRun, call, labPlanDir, stateOf } from '../core/runner/runLab';
import type { TestLab } from '../hosts';
import { countNote, guardedTrial, newTotals, recordLoss, type FaultTotals } from './totals';

export const LINK_FAULT_KINDS = ['drop-long', 'drop-short', 'packet-loss', 'none'] as const;
export type LinkFaultKind = (typeof LINK_FAULT_KINDS)[number];

const LINE_DELAY_S = 0.1;
const TRIAL_LOG = '~/trial.log';

export interface LinkFaultOptions {
  readonly lab: TestLab;
  /** Lab hosts that take trials side by side, one trial per host per batch. */
  readonly hosts: readonly string[];
  readonly trials: number;
  readonly dataDir: string;
  readonly keepalive: { readonly intervalMs: number; readonly countMax: number };
  /** How many lines a trial's command prints, 0.1 s apart. */
  readonly lines?: readonly [min: number, max: number];
  /** The faults to use, in turn (default: chosen at random, with a few trials left alone). */
  readonly kinds?: readonly LinkFaultKind[];
  readonly log?: (line: string) => void;
}

/** What one trial planned: the host's record must agree with it, and the journal with the host. */
export interface Trial {
  readonly runId: string;
  readonly host: string;
  readonly stepId: string;
  readonly lines: number;
  readonly code: number;
  readonly fault: LinkFaultKind;
}

export interface LinkFaultResult {
  readonly totals: FaultTotals;
  readonly trials: readonly Trial[];
}

/** The core a technician's laptop would run, with the keepalive that makes a dead link show fast. */
export function linkFaultCore(lab: TestLab, dataDir: string, keepalive: LinkFaultOptions['keepalive']): Core {
  return createCore({
    dataDir,
    strictOutputs: true,
    runner: {
      credentials: [{ name: 'lab', appliesTo: { all: true }, credentials: [{ kind: 'privateKey', keyPath: lab.user.privateKeyPath }] }],
      connect: { keepaliveIntervalMs: keepalive.intervalMs, keepaliveCountMax: keepalive.countMax, connectTimeoutMs: 2000 },
    },
  });
}

/** What the trial's command prints on stdout: numbered lines, and now and then a longer burst. */
export function expectedStdout(lines: number): string {
  let text = '';
  for (let i = 0; i < lines; i++) text += `line ${i} ${'.'.repeat(60)}\n${i % 10 === 5 ? `${'z'.repeat(3000)}\n` : ''}`;
  return text;
}

function trialCommand(stepId: string, lines: number, code: number): string {
  return [
    `echo "start ${stepId}" >> "$HOME/trial.log"`,
    'fr_i=0',
    `while [ $fr_i -lt ${lines} ]; do`,
    `  echo "line $fr_i ${'.'.repeat(60)}"`,
    `  if [ $((fr_i % 10)) -eq 5 ]; then head -c 3000 /dev/zero | tr '\\0' z; echo; fi`,
    '  fr_i=$((fr_i + 1))',
    `  sleep ${LINE_DELAY_S}`,
    'done',
    `echo "done ${stepId}" >&2`,
    `echo "exit ${stepId} ${code}" >> "$HOME/trial.log"`,
    `exit ${code}`,
  ].join('\n');
}

const between = (low: number, high: number): number => low + Math.random() * (high - low);

function pickKind(options: LinkFaultOptions, index: number): LinkFaultKind {
  if (options.kinds !== undefined && options.kinds.length > 0) return options.kinds[index % options.kinds.length]!;
  const r = Math.random();
  return r < 0.35 ? 'drop-long' : r < 0.6 ? 'drop-short' : r < 0.9 ? 'packet-loss' : 'none';
}

/** Injects one fault on one host during a command of about `seconds`; always leaves the link clean. */
async function injectFault(lab: TestLab, host: string, kind: LinkFaultKind, seconds: number, keepaliveGiveUpS: number): Promise<void> {
  if (kind === 'none') return;
  await sleep(between(0.2, Math.max(0.3, seconds * 0.9)) * 1000);
  try {
    if (kind === 'packet-loss') {
      await lab.faults.packetLoss(host, Math.round(between(20, 60)));
      await sleep(between(1.5, 5) * 1000);
    } else {
      await lab.faults.linkDown(host);
      // Short: TCP rides it out. Long: the keepalive gives up, so the runner must reconnect and reattach.
      await sleep((kind === 'drop-short' ? between(0.3, keepaliveGiveUpS * 0.6) : between(keepaliveGiveUpS + 0.5, keepaliveGiveUpS * 2.5)) * 1000);
    }
  } finally {
    await lab.faults.linkUp(host);
    await lab.faults.clearPacketLoss(host);
  }
}

export async function runLinkFaults(options: LinkFaultOptions): Promise<LinkFaultResult> {
  const started = performance.now();
  const { lab } = options;
  const totals = newTotals('link faults (drops and packet loss, sshd lab)');
  totals.notes['keepalive'] = `${options.keepalive.intervalMs} ms x ${options.keepalive.countMax}`;
  const [minLines, maxLines] = options.lines ?? [15, 60];
  const giveUpS = (options.keepalive.intervalMs * (options.keepalive.countMax + 1)) / 1000;
  const core = linkFaultCore(lab, options.dataDir, options.keepalive);
  const trials: Trial[] = [];
  try {
    for (let batch = 0; trials.length < options.trials; batch++) {
      const hosts = options.hosts.slice(0, Math.min(options.hosts.length, options.trials - trials.length));
      const planned = hosts.map((host, i) => ({
        host,
        stepId: `trial-${host}`,
        lines: Math.floor(between(minLines, maxLines + 1)),
        code: Math.random() < 0.5 ? 0 : 1 + Math.floor(Math.random() * 3),
        fault: pickKind(options, trials.length + i),
      }));
      await guardedTrial(totals, `batch ${batch}`, async () => {
        for (const host of hosts) rmSync(lab.host(host).pathOnHost(TRIAL_LOG), { force: true });
        const steps = planned.map((p) => ({ id: p.stepId, title: `Trial on ${p.host}`, hosts: [p.host], run: trialCommand(p.stepId, p.lines, p.code) }));
        const { runId, seq } = await baselinedRun(core, labPlanDir(lab, hosts, steps));
        const loginsBefore = new Map(hosts.map((h) => [h, logins(lab, h)]));
        await call(core, 'runs.deploy.start', { runId, expectSeq: seq });
        await Promise.all(planned.map((p) => injectFault(lab, p.host, p.fault, p.lines * LINE_DELAY_S, giveUpS)));
        await core.runner.idle(runId);
        const { state } = await stateOf(core, runId);
        totals.runs += 1;
        for (const p of planned) {
          const trial: Trial = { runId, ...p };
          trials.push(trial);
          if (p.fault !== 'none') totals.faultsInjected += 1;
          countNote(totals, `trials ${p.fault}`);
          if (logins(lab, p.host) > (loginsBefore.get(p.host) ?? 0)) countNote(totals, 'trials reattached through a new login');
          checkTrial(lab, core, state, trial, totals);
        }
        const chain = core.store.journal.verifyChain(runId);
        if (!chain.ok) recordLoss(totals, 'chainBreaks', `run ${runId}: breaks at seq ${chain.brokenAtSeq}: ${chain.reason}`);
      });
      if (options.log !== undefined && (batch + 1) % 5 === 0) options.log(`  link faults: ${trials.length}/${options.trials} trials`);
    }
    countNote(totals, 'trials', trials.length);
    const integrity = core.store.db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') recordLoss(totals, 'corruptDatabases', `integrity_check says ${String(integrity)}`);
  } finally {
    core.close();
  }
  totals.wallMs = performance.now() - started;
  return { totals, trials };
}

const logins = (lab: TestLab, host: string): number => lab.host(host).sshdLog().match(/Accepted publickey/g)?.length ?? 0;

/** One trial's journal against the host's own records; `state` is the run's state at the end. */
export function checkTrial(lab: TestLab, core: Core, state: RunState, trial: Trial, totals: FaultTotals): void {
  const where = `run ${trial.runId}, ${trial.stepId} (${trial.fault}, ${trial.lines} lines, exit ${trial.code})`;
  const instance = state.instances[`${trial.stepId}@${trial.host}`];
  if (instance === undefined) return recordLoss(totals, 'harnessErrors', `${where}: no such step instance`);
  if (instance.state === 'running') recordLoss(totals, 'stepsLeftRunning', where);

  // The host's record: the step's own log lines, written by the command itself.
  const log = existsSync(lab.host(trial.host).pathOnHost(TRIAL_LOG)) ? readFileSync(lab.host(trial.host).pathOnHost(TRIAL_LOG), 'utf8').split('\n') : [];
  const starts = log.filter((l) => l === `start ${trial.stepId}`).length;
  const exit = log.find((l) => l.startsWith(`exit ${trial.stepId} `));
  const hostCode = exit === undefined ? undefined : Number(exit.split(' ')[2]);
  if (starts > 1) recordLoss(totals, 'stepsRunTwice', `${where}: the host logged ${starts} starts`);
  if (instance.attempt > 1) recordLoss(totals, 'stepsRunTwice', `${where}: the journal shows attempt ${instance.attempt} with no one asking for a retry`);

  const outcome = instance.outcome;
  if (outcome === undefined || outcome.kind === 'unknown') {
    // Honest, but with the link back the runner should have found out: counted, not a loss.
    countNote(totals, 'unknown outcomes');
  } else if (outcome.kind !== 'exited' || outcome.code !== hostCode) {
    const claimed = outcome.kind === 'exited' ? `exit ${outcome.code}` : outcome.kind;
    recordLoss(totals, outcome.kind === 'exited' && outcome.code === 0 ? 'wronglySucceeded' : 'wronglyFailed', `${where}: the journal says ${claimed}, the host says ${hostCode === undefined ? 'no exit' : `exit ${hostCode}`}`);
  }
  if (hostCode !== undefined && hostCode !== trial.code) recordLoss(totals, 'harnessErrors', `${where}: the host exited ${hostCode}, not the planned ${trial.code}`);

  // The output: what is stored against the wrapper's copy on the host, byte for byte.
  if (instance.streams === undefined || instance.execId === undefined) return;
  const complete = outcome?.kind === 'exited';
  for (const which of ['stdout', 'stderr'] as const) {
    const file = lab.host(trial.host).pathOnHost(`~/.fieldrun/runs/${instance.execId}/${which === 'stdout' ? 'out' : 'err'}`);
    if (!existsSync(file)) {
      recordLoss(totals, 'harnessErrors', `${where}: the host has no ${which} file for ${instance.execId}`);
      continue;
    }
    const onHost = readFileSync(file);
    if (complete && which === 'stdout' && onHost.toString('utf8') !== expectedStdout(trial.lines)) {
      recordLoss(totals, 'harnessErrors', `${where}: the host's own stdout is not what the command prints`);
    }
    const verdict = core.store.output.verify(trial.runId, instance.streams[which]);
    if (!verdict.ok) {
      recordLoss(totals, 'outputLost', `${where}: stored ${which} is broken at chunk ${verdict.brokenAtIdx}: ${verdict.reason}`);
      continue;
    }
    const stored = verdict.length === 0 ? Buffer.alloc(0) : core.store.output.read(trial.runId, instance.streams[which], { offset: 0, length: verdict.length });
    const digest = instance.output?.[which];
    if (digest !== undefined && (digest.length !== verdict.length || digest.sha256 !== verdict.sha256)) {
      recordLoss(totals, 'outputLost', `${where}: the step's end event names ${which} of ${digest.length} bytes; ${verdict.length} are stored`);
    }
    // After an unknown outcome the stored output may stop short, but never differ from the host's.
    const same = complete ? stored.equals(onHost) : onHost.subarray(0, stored.length).equals(stored);
    if (same) continue;
    const kind = stored.length > onHost.length || hasRepeat(stored, onHost) ? 'outputDuplicated' : 'outputLost';
    recordLoss(totals, kind, `${where}: ${which} stored ${stored.length} bytes, the host has ${onHost.length}, first difference at byte ${firstDifference(stored, onHost)}`);
  }
}

function firstDifference(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

/** Stored output that holds a line of the host's twice has bytes repeated (a reattach from the wrong offset). */
function hasRepeat(stored: Buffer, onHost: Buffer): boolean {
  const lines = stored.toString('utf8').split('\n').filter((l) => l.startsWith('line '));
  return new Set(lines).size < lines.length && onHost.length > 0;
}
