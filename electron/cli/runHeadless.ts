import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { MethodOutput } from '../../shared/contract';
import { AppError, isAppError } from '../../shared/errors';
import type { Plan } from '../../shared/plan';
import { baselineKey, unwaivedBaselineFailures, type Answer, type OpenQuestion, type RunState } from '../../shared/run';
import { createCore, type Core } from '../core/core';
import { missingInputs } from '../core/runner/runPlan';
import { parseKnownHosts, type Credential, type KnownHostEntry } from '../core/ssh/connection';
import type { RunAnswers } from './runAnswersFile';
import { secretFor } from './runAnswersFile';
import { exercisedSteps, type ExercisedStep } from './runSummary';

// A headless rehearsal: the whole run with the answers file standing in for the technician. It
// stops (never guesses) at the first question the file does not answer, and it never trusts a
// host key that neither the plan nor the given known_hosts file vouches for.

export interface HeadlessOptions {
  readonly planPath: string;
  readonly plan: Plan;
  readonly answers: RunAnswers;
  readonly dataDir?: string;
  readonly knownHostsPath?: string;
  readonly identityPath?: string;
  readonly env: NodeJS.ProcessEnv;
  readonly say: (line: string) => void;
}

export interface HeadlessResult {
  readonly reached: RunState['phase'];
  readonly runId?: string;
  readonly dataDir: string;
  /** Why the run stopped short of handover. */
  readonly stopped?: string;
  readonly steps?: ExercisedStep[];
}

class Stop extends Error {}

/** Hosts without pinned keys must each have a usable known_hosts entry, or nothing connects. */
export function trustedKeysOfUnpinned(plan: Plan, knownHosts: readonly KnownHostEntry[] | undefined): Map<string, Set<string>> {
  const trusted = new Map<string, Set<string>>();
  const missing: string[] = [];
  for (const host of plan.hosts.filter((h) => h.hostKeys.length === 0)) {
    const entries = (knownHosts ?? []).filter((e) => e.marker === undefined && e.match(host.address, host.port));
    if (entries.length === 0) missing.push(`${host.name} (${host.address}:${host.port})`);
    else trusted.set(host.name, new Set(entries.map((e) => e.fingerprint)));
  }
  if (missing.length > 0) {
    throw new AppError(
      'SSH_HOST_KEY_UNKNOWN',
      knownHosts === undefined
        ? `The plan pins no host key for ${missing.join(', ')}, and a headless run never accepts an unknown key. Give --known-hosts FILE with their keys; nothing was connected.`
        : `The known_hosts file has no key for ${missing.join(', ')}, and a headless run never accepts an unknown key. Add their keys to it; nothing was connected.`,
      { hosts: missing },
    );
  }
  return trusted;
}

export function credentialsFrom(identityPath: string | undefined, env: NodeJS.ProcessEnv): Credential[] {
  const credentials: Credential[] = [];
  if (identityPath !== undefined) {
    if (!existsSync(identityPath)) throw new AppError('INPUT_INVALID', `The identity file ${identityPath} does not exist. Give the path of an OpenSSH private key.`, { path: identityPath });
    const passphrase = env['FIELDRUN_KEY_PASSPHRASE'];
    credentials.push({ kind: 'privateKey', keyPath: resolve(identityPath), ...(passphrase === undefined ? {} : { passphrase }) });
  }
  const agent = env['SSH_AUTH_SOCK'];
  if (agent !== undefined && agent !== '') credentials.push({ kind: 'agent', socketPath: agent });
  if (credentials.length === 0) throw new AppError('INPUT_INVALID', 'A headless run needs a credential: give --identity KEYFILE or run it with an ssh-agent (SSH_AUTH_SOCK).');
  return credentials;
}

function readInput(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new AppError('INPUT_INVALID', `The ${what} ${path} cannot be read (${error instanceof Error ? error.message : String(error)}). Check the path and run again.`, { path });
  }
}

export async function runHeadless(options: HeadlessOptions): Promise<HeadlessResult> {
  const { plan, answers, env, say } = options;
  // Everything that can be refused without a connection is refused first.
  const knownHosts = options.knownHostsPath === undefined ? undefined : parseKnownHosts(readInput(options.knownHostsPath, 'known_hosts file'));
  const trusted = trustedKeysOfUnpinned(plan, knownHosts);
  const credentials = credentialsFrom(options.identityPath, env);
  const secrets: Record<string, string> = {};
  const secretNames = [...Object.entries(plan.variables).filter(([, v]) => v.value === undefined).map(([name]) => name), 'sudo', ...plan.hosts.map((h) => `sudo@${h.name}`)];
  for (const name of secretNames) {
    const value = secretFor(name, answers, env);
    if (value !== undefined) secrets[name] = value;
  }
  const missing = missingInputs(plan, new Map(Object.entries(secrets)));
  if (missing.length > 0) {
    throw new AppError('SECRET_MISSING', `No value for ${missing.join(', ')}: put it under secrets: in the answers file or in FIELDRUN_SECRET_<NAME> (sudo: FIELDRUN_SUDO_PASSWORD). Nothing was connected.`, { missing });
  }
  const unanswered = plan.checklist.filter((item) => item.required && answers.checklist[item.id] === undefined).map((item) => item.id);
  if (unanswered.length > 0) throw new AppError('CHECKLIST_INCOMPLETE', `The answers file does not tick the checklist item(s) ${unanswered.join(', ')} (checklist: {id: note}). Nothing was connected.`, { unanswered });

  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'fieldrun-rehearsal-'));
  say(`data folder: ${dataDir}`);
  const core = createCore({ dataDir, runner: { credentials: [{ name: 'cli', appliesTo: { all: true }, credentials }] } });
  let runId: string | undefined;
  try {
    const imported = await core.dispatch('plans.import', {
      source: { kind: 'path', path: resolve(options.planPath) },
      ...(answers.acknowledgeUntrustedPlan === undefined ? {} : { acknowledgeUntrusted: { note: answers.acknowledgeUntrustedPlan } }),
    });
    if (!imported.ok) {
      const hint = answers.acknowledgeUntrustedPlan === undefined ? ' (an unsigned or untrusted plan needs acknowledgeUntrustedPlan: note in the answers file)' : '';
      throw new Stop(`the plan was not imported: ${imported.error.code}: ${imported.error.message}${hint}`);
    }
    const { plan: stored } = imported.value as MethodOutput<'plans.import'>;
    const created = core.runner.create(stored.hash, 'headless rehearsal');
    runId = created.runId;
    say(`run: ${runId}`);
    await drive(core, runId, plan, answers, trusted, secrets, say);
    return finish(core, runId, dataDir);
  } catch (error) {
    if (error instanceof Stop || isAppError(error)) {
      const stopped = error instanceof Stop ? error.message : `${error.code}: ${error.message}`;
      return { ...(runId === undefined ? { reached: undefined, dataDir } : finish(core, runId, dataDir)), stopped };
    }
    throw error;
  } finally {
    core.close();
  }
}

function finish(core: Core, runId: string, dataDir: string): HeadlessResult {
  const { state } = core.runner.get(runId);
  return { reached: state.phase, runId, dataDir, steps: exercisedSteps(state, [...core.store.journal.events(runId)]) };
}

async function drive(core: Core, runId: string, plan: Plan, answers: RunAnswers, trusted: Map<string, Set<string>>, secrets: Record<string, string>, say: (line: string) => void): Promise<void> {
  const r = core.runner;
  const head = (): number => r.get(runId).head.seq;
  for (const item of plan.checklist) {
    const note = answers.checklist[item.id];
    if (note !== undefined) r.tick(runId, head(), item.id, note);
  }
  if (Object.keys(secrets).length > 0) r.provideSecrets(runId, secrets);

  say('baseline: running');
  r.runBaseline(runId, head());
  await r.idle(runId);
  // Unpinned hosts: their first connection asks; the answer comes from known_hosts, then they rerun.
  for (let round = 0; round < plan.hosts.length; round++) {
    const keyQuestions = r.get(runId).state.questions.filter((q) => q.kind === 'host-key');
    if (keyQuestions.length === 0) break;
    for (const q of keyQuestions) r.answer(runId, head(), q.id, hostKeyAnswer(q, trusted));
    for (const q of keyQuestions) {
      r.runBaseline(runId, head(), { host: q.host });
      await r.idle(runId);
    }
  }
  let state = r.get(runId).state;
  for (const cell of unwaivedBaselineFailures(state)) {
    const key = baselineKey(cell.checkId, cell.host);
    const reason = answers.waive[key];
    if (reason === undefined) throw new Stop(`baseline check ${key} is ${cell.status}${cell.summary === undefined ? '' : ` (${cell.summary})`} and the answers file does not waive it (waive: {"${key}": reason})`);
    r.waive(runId, head(), cell.checkId, cell.host, reason);
  }
  say('baseline: clear');

  const flags = r.flags(runId);
  const open = flags.flags.filter((f) => !flags.acknowledged.includes(f.id));
  if (open.length > 0) {
    if (answers.acknowledgeFlags === undefined) throw new Stop(`yellow flags are not acknowledged: ${open.map((f) => f.id).join(', ')} (acknowledgeFlags: note in the answers file)`);
    r.acknowledgeFlags(runId, head(), open.map((f) => f.id), answers.acknowledgeFlags);
    say(`yellow flags acknowledged: ${open.map((f) => f.id).join(', ')}`);
  }

  say('deployment: starting');
  r.startDeployment(runId, head());
  for (;;) {
    await r.idle(runId);
    const current = r.get(runId);
    state = current.state;
    if (state.phase === 'handover' || state.phase === 'done') return;
    if (current.halted !== undefined) throw new Stop(`the run halted: ${current.halted.code}: ${current.halted.message}`);
    // A host key first: it is the one question the known_hosts file answers without a judgement call.
    const question = state.questions.find((q) => q.kind === 'host-key') ?? state.questions[0];
    if (question === undefined) throw new Stop(`the run is in its ${state.phase ?? 'unknown'} phase with nothing left to answer`);
    if (question.kind === 'failure' || question.kind === 'unknown') {
      const what = `step ${question.stepId} on ${question.host} ${question.kind === 'failure' ? 'failed' : 'has an unknown outcome'}: ${question.summary}`;
      if (answers.onFailure === 'abort' && question.kind === 'failure') {
        r.abort(runId, head(), `headless rehearsal: ${what}`);
        throw new Stop(`${what}; the run was aborted (onFailure: abort)`);
      }
      throw new Stop(`${what}; the run waits for a decision in the data folder`);
    }
    r.answer(runId, head(), question.id, answerFor(question, answers, trusted));
  }
}

function hostKeyAnswer(q: OpenQuestion & { kind: 'host-key' }, trusted: Map<string, Set<string>>): Answer {
  if (trusted.get(q.host)?.has(q.fingerprint) === true) return { kind: 'host-key', decision: 'accept' };
  throw new Stop(`${q.host} presented the host key ${q.keyType} ${q.fingerprint}, which neither the plan nor the known_hosts file holds; nothing was sent to it`);
}

function answerFor(question: OpenQuestion, answers: RunAnswers, trusted: Map<string, Set<string>>): Answer {
  switch (question.kind) {
    case 'host-key':
      return hostKeyAnswer(question, trusted);
    case 'manual': {
      const note = answers.manual[question.stepId];
      if (note === undefined) throw new Stop(`unanswered question: manual step ${question.stepId} on ${question.host} (manual: {${question.stepId}: note} in the answers file)`);
      return { kind: 'manual', done: true, note };
    }
    case 'confirm': {
      const confirmed = answers.confirm[question.stepId];
      if (confirmed === undefined) throw new Stop(`unanswered question: confirm ${question.stepId} on ${question.host}: "${question.question}" (confirm: {${question.stepId}: true|false} in the answers file)`);
      return { kind: 'confirm', confirmed, note: 'answered by the headless rehearsal' };
    }
    default:
      throw new Stop(`unanswered question: ${question.kind} ${question.id}`);
  }
}
