// The crash loop's checks at handover: the run's journal against what the hosts themselves
// recorded: how often each `run` step ran (ran.log), with which exit codes (exits.log, written by
// the host around the step), what each upload left, and the bytes of each output.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { Core } from '../../electron/core/core';
import type { TestLab } from '../hosts';
import { countNote, recordLoss, type FaultTotals } from './totals';

export const STORY_HOSTS = ['jump1', 'web1', 'web2', 'app1', 'db1'] as const;

const linesOf = (lab: TestLab, host: string, path: string): string[] => {
  const file = lab.host(host).pathOnHost(path);
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') : [];
};

interface Ended {
  readonly stepId: string;
  readonly host: string;
  readonly attempt: number;
  readonly outcome: { kind: string; code?: number; reason?: string };
  readonly upload?: { remotePath: string; sha256: string };
}

/** At handover: the journal against what the hosts themselves recorded. */
export function checkAgainstHosts(lab: TestLab, core: Core, runId: string, totals: FaultTotals): void {
  const state = core.runner.get(runId).state;
  const runs = new Map<string, number>();
  const exits = new Map<string, number[]>();
  for (const host of STORY_HOSTS) {
    for (const step of [...linesOf(lab, host, '~/ran.log'), ...linesOf(lab, host, '/tmp/ran-as-root.log')]) runs.set(`${step}@${host}`, (runs.get(`${step}@${host}`) ?? 0) + 1);
    for (const line of [...linesOf(lab, host, '~/exits.log'), ...linesOf(lab, host, '/tmp/exits-as-root.log')]) {
      const [step, code] = line.split(' ');
      const key = `${step ?? ''}@${host}`;
      exits.set(key, [...(exits.get(key) ?? []), Number(code)]);
    }
  }
  const started = new Map<string, { execId: string; action: string; streams?: { stdout: string; stderr: string } }>();
  for (const event of core.store.journal.events(runId)) {
    const payload = event.payload as Ended & { execId?: string; action?: string; streams?: { stdout: string; stderr: string }; status?: string };
    const key = `${payload.stepId}@${payload.host}`;
    if (event.type === 'step.started' && payload.execId !== undefined) {
      const launch = { execId: payload.execId, action: payload.action ?? '' };
      started.set(`${key}#${payload.attempt}`, payload.streams === undefined ? launch : { ...launch, streams: payload.streams });
    }
    if (event.type === 'step.verified') countNote(totals, `verify checks ${payload.status ?? '?'}`);
    if (event.type !== 'step.ended') continue;
    const { outcome } = payload;
    if (outcome.kind === 'unknown') countNote(totals, `unknown outcomes (${(outcome.reason ?? '').slice(0, 24)})`);
    const action = started.get(`${key}#${payload.attempt}`)?.action;
    if (action === 'upload' && payload.upload !== undefined) {
      // An upload the journal says arrived must be on the host with the hash the journal names.
      const file = lab.host(payload.host).pathOnHost(payload.upload.remotePath);
      // A later step may remove it (switch-web removes the maintenance page): only a different file is a loss.
      const onHost = existsSync(file) ? sha256(readFileSync(file)) : payload.upload.sha256;
      if (onHost !== payload.upload.sha256) recordLoss(totals, 'wronglySucceeded', `run ${runId}: ${key} attempt ${payload.attempt} uploaded ${payload.upload.remotePath}; the host has ${onHost}`);
    }
    if (action !== 'run' || outcome.kind !== 'exited' || outcome.code === undefined) continue;
    // The journal says the command exited with this code: the host must have seen that exit.
    const seen = exits.get(key) ?? [];
    const at = seen.indexOf(outcome.code);
    if (at >= 0) seen.splice(at, 1);
    else recordLoss(totals, outcome.code === 0 ? 'wronglySucceeded' : 'wronglyFailed', `run ${runId}: ${key} attempt ${payload.attempt} recorded exit ${outcome.code}; the host recorded ${JSON.stringify(exits.get(key) ?? [])}`);
    const launch = started.get(`${key}#${payload.attempt}`);
    if (launch?.streams !== undefined) checkOutput(lab, core, runId, payload.host, launch.execId, launch.streams, totals, `run ${runId}: ${key} attempt ${payload.attempt}`);
  }
  for (const instance of Object.values(state.instances)) {
    if (instance.action !== 'run') continue;
    const key = `${instance.stepId}@${instance.host}`;
    const count = runs.get(key) ?? 0;
    // backup-db's first attempt fails by design, so it runs twice.
    const allowed = instance.stepId === 'backup-db' ? 2 : 1;
    if (count > allowed) recordLoss(totals, 'stepsRunTwice', `run ${runId}: ${key} ran ${count} times on the host`);
    // A step that did not run at all must have been found in place by its verify check.
    if (instance.state === 'succeeded' && count === 0 && instance.verified?.status !== 'pass' && instance.outcome?.kind !== 'done') {
      recordLoss(totals, 'wronglySucceeded', `run ${runId}: ${key} is succeeded but never ran and was not verified`);
    }
  }
  if (linesOf(lab, 'db1', '~/backup-attempts').length > 2) recordLoss(totals, 'stepsRunTwice', `run ${runId}: backup-db attempted more than twice on db1`);
}

/** The stored output of an execution against the wrapper's own copy on the host. */
function checkOutput(lab: TestLab, core: Core, runId: string, host: string, execId: string, streams: { stdout: string; stderr: string }, totals: FaultTotals, context: string): void {
  for (const which of ['stdout', 'stderr'] as const) {
    const file = lab.host(host).pathOnHost(`~/.fieldrun/runs/${execId}/${which === 'stdout' ? 'out' : 'err'}`);
    // Sudo executions keep their files in root's home: nothing to compare with from here.
    if (!existsSync(file)) continue;
    const onHost = readFileSync(file);
    const verdict = core.store.output.verify(runId, streams[which]);
    const stored = verdict.ok ? { length: verdict.length, sha256: verdict.sha256 } : { length: -1, sha256: '' };
    if (stored.length === onHost.length && stored.sha256 === sha256(onHost)) continue;
    recordLoss(totals, stored.length > onHost.length ? 'outputDuplicated' : 'outputLost', `${context}: ${which} stored ${stored.length} bytes, the host has ${onHost.length}`);
  }
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

