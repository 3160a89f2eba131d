// Helpers for the runner tests (not a test file itself): a copy of the example plan with the
// additions the stories need, a core on a fresh data folder, and calls through dispatch.
import { cpSync, mkdtempSync as makeTempDir, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { DispatchResult, MethodInput, MethodName, MethodOutput } from '../../../shared/contract';
import type { RunState } from '../../../shared/run';
import { createCore, type Core } from '../../../electron/core/core';
import type { TestLab } from '../../hosts';

const tempDirs: string[] = [];

/** A temporary folder that removeTempDirs() deletes (call it in afterAll). */
export function mkdtempSync(prefix: string): string {
  const dir = makeTempDir(prefix);
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export const EXAMPLE_PLAN_DIR = join(import.meta.dirname, '../../../resources/plans/example-plan');

type PlanDoc = { baseline: Array<Record<string, unknown>>; steps: Array<Record<string, unknown>> };

/**
 * The example plan plus: a baseline check that fails on db1 (to be waived), a backup step that
 * fails on its first attempt (a counter file on the host), and a step that always fails (to be
 * skipped). Every `run` step appends its name to ~/ran.log on its host, so tests count runs there.
 */
export function storyPlanDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fieldrun-runner-plan-'));
  cpSync(EXAMPLE_PLAN_DIR, dir, { recursive: true });
  const doc = parse(readFileSync(join(dir, 'plan.yaml'), 'utf8')) as PlanDoc;
  doc.baseline.push({ id: 'no-hostname-file', title: 'No /etc/hostname (fails on purpose)', hosts: ['db1'], type: 'command', run: 'test ! -e /etc/hostname' });
  for (const step of doc.steps) {
    if (step['id'] === 'backup-db') {
      step['run'] = `echo attempt >> "$HOME/backup-attempts"\nif [ "$(wc -l < "$HOME/backup-attempts")" -lt 2 ]; then echo "backup disk busy" >&2; exit 3; fi\n${String(step['run'])}`;
    }
    // sudo steps run as root, whose file would then be closed to the login user.
    const log = step['sudo'] === true ? '/tmp/ran-as-root.log' : '"$HOME/ran.log"';
    if (typeof step['run'] === 'string') step['run'] = `echo ${String(step['id'])} >> ${log}\n${step['run']}`;
  }
  doc.steps.push({ id: 'warm-cache', title: 'Warm the page cache (fails on purpose)', hosts: ['web1'], needs: ['prepare'], run: 'echo warm-cache >> "$HOME/ran.log"\necho cache server unreachable >&2\nexit 1' });
  writeFileSync(join(dir, 'plan.yaml'), stringify(doc));
  return dir;
}

/**
 * The example plan with a failure late in the graph (start-app exits 4), an outage window that
 * is already over (so rolling back is past the point of no return), and every rollback action
 * logging its step to ~/rollback.log on its host before doing its work.
 */
export function rollbackPlanDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fieldrun-rollback-plan-'));
  cpSync(EXAMPLE_PLAN_DIR, dir, { recursive: true });
  const doc = parse(readFileSync(join(dir, 'plan.yaml'), 'utf8')) as PlanDoc & { outage: Record<string, string>; metadata: Record<string, string> };
  doc.metadata['version'] = '2.4.1-rollback';
  doc.outage['start'] = '2020-01-01T22:00:00+01:00';
  doc.outage['pointOfNoReturn'] = '2020-01-02T00:30:00+01:00';
  doc.outage['end'] = '2020-01-02T02:00:00+01:00';
  for (const step of doc.steps) {
    const rollback = step['rollback'] as Record<string, unknown> | undefined;
    if (rollback !== undefined && typeof rollback['run'] === 'string') rollback['run'] = `echo ${String(step['id'])} >> "$HOME/rollback.log"\n${rollback['run']}`;
    if (step['id'] === 'start-app') step['run'] = 'echo starting\necho "port already in use" >&2\nexit 4';
  }
  writeFileSync(join(dir, 'plan.yaml'), stringify(doc));
  return dir;
}

/** A small plan on directly reachable lab hosts (pinned keys), with the given steps and variables. */
export function labPlanDir(lab: TestLab, hosts: readonly string[], steps: Array<Record<string, unknown>>, variables: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'fieldrun-lab-plan-'));
  const doc = parse(readFileSync(join(EXAMPLE_PLAN_DIR, 'plan.yaml'), 'utf8')) as Record<string, unknown>;
  doc['hosts'] = hosts.map((name) => ({
    name,
    address: lab.host(name).address,
    port: lab.host(name).port,
    user: lab.user.name,
    hostKeys: lab.host(name).hostKeys.map((k) => ({ type: k.type, fingerprint: k.fingerprint })),
  }));
  doc['variables'] = variables;
  doc['artifacts'] = [];
  doc['checklist'] = [{ id: 'ready', text: 'Ready.' }];
  doc['baseline'] = [{ id: 'login-user', type: 'command', run: 'id -un', expect: { stdout: { equals: 'fieldrun' } } }];
  doc['steps'] = steps;
  writeFileSync(join(dir, 'plan.yaml'), stringify(doc));
  return dir;
}

/** Imports a plan, creates a run, ticks the one checklist item and runs the baseline; returns the run and its head. */
export async function baselinedRun(core: Core, planDir: string): Promise<{ runId: string; seq: number }> {
  const { plan } = await call(core, 'plans.import', { source: { kind: 'path', path: planDir }, acknowledgeUntrusted: { note: 'test plan' } });
  const { runId } = await call(core, 'runs.create', { planHash: plan.hash });
  const { seq } = await call(core, 'runs.checklist.tick', { runId, expectSeq: 1, itemId: 'ready' });
  await call(core, 'runs.baseline.run', { runId, expectSeq: seq });
  await core.runner.idle(runId);
  return { runId, seq: await acknowledgeAllFlags(core, runId) };
}

/** Acknowledges every yellow flag of a run (as a technician who read them); returns the new head. */
export async function acknowledgeAllFlags(core: Core, runId: string): Promise<number> {
  const { flags } = await call(core, 'runs.flags.get', { runId });
  const { seq } = await stateOf(core, runId);
  if (flags.length === 0) return seq;
  return (await call(core, 'runs.flags.acknowledge', { runId, expectSeq: seq, flagIds: flags.map((f) => f.id), note: 'read with head office on the phone' })).seq;
}

export function labCore(lab: TestLab, dataDir = mkdtempSync(join(tmpdir(), 'fieldrun-runner-data-'))): Core {
  return createCore({
    dataDir,
    strictOutputs: true,
    runner: {
      credentials: [{ name: 'lab', appliesTo: { all: true }, credentials: [{ kind: 'privateKey', keyPath: lab.user.privateKeyPath }] }],
      checkTimeoutMs: 30_000,
    },
  });
}

/** Calls a method and returns its value; a refusal throws with its code in the message. */
export async function call<M extends MethodName>(core: Core, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const result: DispatchResult = await core.dispatch(method, input);
  if (!result.ok) throw new Error(`${method} refused: ${result.error.code}: ${result.error.message}`);
  return result.value as MethodOutput<M>;
}

export async function stateOf(core: Core, runId: string): Promise<{ state: RunState; seq: number }> {
  const { state, head } = await call(core, 'runs.get', { runId });
  return { state, seq: head.seq };
}
