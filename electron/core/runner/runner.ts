import { AppError, type AppErrorData } from '../../../shared/errors';
import type { Plan } from '../../../shared/plan';
import { baselineKey, foldRun, timeStatus, unwaivedBaselineFailures, type Answer, type RunState, type TimeStatus } from '../../../shared/run';
import type { ConnectOptions } from '../ssh/connection';
import type { Store } from '../store';
import { runBaselineCells, selectBaselineCells, type BaselineSelection } from './runBaseline';
import type { NewRunEvent } from './runJournalWriter';
import { exclusionOf } from './hostExclusion';
import { answerEvents } from './runAnswers';
import { yellowFlags, type YellowFlag } from './yellowFlags';
import { missingInputs, variableValues } from './runPlan';
import { RunSession } from './runSession';

// The run engine behind the runs.* methods. Every call that changes a run names the journal
// position it expects; the decision and its events are made synchronously against the folded
// state and committed with that expectation, so two callers racing on one question cannot both win.

export interface RunnerOptions {
  readonly store: Store;
  /** Profiles, or a function that answers them per host as they are at connection time. */
  readonly credentials?: ConnectOptions['credentials'];
  readonly connect?: Partial<Omit<ConnectOptions, 'credentials' | 'hostKeys'>>;
  readonly checksPerHost?: number;
  readonly maxParallelSteps?: number;
  readonly checkTimeoutMs?: number;
  readonly onChanged?: (runId: string, seq: number) => void;
  readonly onOutput?: (runId: string, stream: string, offset: number, data: Buffer) => void;
  /** Wall-clock time for the outage window (time left, point of no return); Date.now by default. */
  readonly now?: () => number;
}

export interface RunSummary {
  readonly runId: string;
  readonly planHash: string;
  readonly createdAt: string;
  readonly label: string | null;
  readonly phase: RunState['phase'];
  readonly headSeq: number;
}

export interface Runner {
  create(planHash: string, label?: string): { runId: string; seq: number };
  list(): RunSummary[];
  get(runId: string): { state: RunState; head: { seq: number; hash: string }; time: TimeStatus; halted?: AppErrorData };
  tick(runId: string, expectSeq: number, itemId: string, note?: string): number;
  runBaseline(runId: string, expectSeq: number, only?: BaselineSelection): number;
  waive(runId: string, expectSeq: number, checkId: string, host: string, reason: string): number;
  startDeployment(runId: string, expectSeq: number): number;
  answer(runId: string, expectSeq: number, questionId: string, answer: Answer): number;
  abort(runId: string, expectSeq: number, reason: string): number;
  /** Runs a command the technician typed on one host, with a reason (a deviation). */
  runAdhoc(runId: string, expectSeq: number, host: string, command: string, reason: string): number;
  /** The yellow flags of a run and which of them the technician acknowledged. */
  flags(runId: string): { flags: YellowFlag[]; acknowledged: string[] };
  acknowledgeFlags(runId: string, expectSeq: number, flagIds: readonly string[], note: string): number;
  /** Changes a run step's command on site, with a reason; instances started afterwards run it. */
  editStep(runId: string, expectSeq: number, stepId: string, run: string, reason: string): number;
  /** What excluding a host would do: its instances that will not run, and others' that depend on them. */
  exclusionPreview(runId: string, host: string): { skipped: string[]; dependents: string[] };
  provideSecrets(runId: string, values: Readonly<Record<string, string>>): number;
  /** The secret values given for a run this session (memory only), for the report's leak check; none once the app restarted. */
  secretValues(runId: string): string[];
  readOutput(runId: string, stream: string, offset: number, length: number): Buffer;
  /** Resolves when nothing of this run is executing (tests, the headless CLI). */
  idle(runId: string): Promise<void>;
  /**
   * Commits events that another part of the core decides against the run's plan and state
   * (handover, report export), through the run's open session, so its state stays current.
   */
  /** Accepts a changed host key with the fingerprint read out by the client and a reason (a deviation). */
  overrideHostKey(runId: string, expectSeq: number, host: string, fingerprint: string, reason: string): number;
  record(runId: string, expectSeq: number | undefined, decide: (plan: Plan, state: RunState) => NewRunEvent[]): number;
  close(): Promise<void>;
}

export function createRunner(options: RunnerOptions): Runner {
  const { store } = options;
  const sessions = new Map<string, RunSession>();
  const checksPerHost = options.checksPerHost ?? 4;
  const checkTimeoutMs = options.checkTimeoutMs ?? 60_000;

  const open = (runId: string): RunSession => {
    const open = sessions.get(runId);
    if (open !== undefined) return open;
    if (store.runs.get(runId) === undefined) throw new AppError('RUN_NOT_FOUND', `There is no run ${runId} in this data folder. Pick the run again from the list of runs.`, { runId });
    const created = new RunSession(store, runId, {
      credentials: options.credentials ?? [],
      connect: options.connect ?? {},
      maxParallelSteps: options.maxParallelSteps ?? 8,
      checkTimeoutMs,
      onChanged: (id, seq) => options.onChanged?.(id, seq),
      onOutput: (id, stream, offset, data) => options.onOutput?.(id, stream, offset, data),
    });
    sessions.set(runId, created);
    // Steps the journal shows running were cut off by a restart: reattach (this changes nothing on a server).
    created.pumpAll();
    return created;
  };

  const requirePhase = (s: RunSession, allowed: readonly NonNullable<RunState['phase']>[], what: string): void => {
    const phase = s.recorder.state.phase;
    if (phase === undefined || !allowed.includes(phase)) {
      throw new AppError('RUN_PHASE_WRONG', `The run is in its ${phase ?? 'unknown'} phase, so it cannot ${what} now. Look at the run again.`, { phase, allowed });
    }
  };

  // Checked first, so a caller who saw an older journal hears that, whatever else changed; the
  // append checks again inside its transaction.
  const session = (runId: string, expectSeq: number): RunSession => {
    const s = open(runId);
    const headSeq = s.recorder.state.headSeq;
    if (headSeq !== expectSeq) {
      throw new AppError(
        'JOURNAL_POSITION_STALE',
        `The run has moved on since this was shown (expected it at event ${expectSeq}, it is at event ${headSeq}). Look at the run again, then decide.`,
        { runId, expectedSeq: expectSeq, headSeq },
      );
    }
    return s;
  };

  const lastSeq = (written: readonly { seq: number }[]): number => written[written.length - 1]!.seq;

  return {
    create(planHash, label) {
      const { runId, event } = store.runs.create(label === undefined ? { planHash } : { planHash, label });
      options.onChanged?.(runId, event.seq);
      return { runId, seq: event.seq };
    },
    list() {
      return store.runs.list().map((run) => {
        // Listing does not open a run (opening reattaches to its running steps): fold it instead.
        const state = sessions.get(run.id)?.recorder.state ?? foldRun(store.journal.events(run.id));
        return { runId: run.id, planHash: run.planHash, createdAt: run.createdAt, label: run.label, phase: state.phase, headSeq: state.headSeq };
      });
    },
    get(runId) {
      const s = open(runId);
      const state = s.recorder.state;
      const time = timeStatus(s.plan, state, (options.now ?? Date.now)());
      return { state, head: { seq: state.headSeq, hash: state.headHash ?? '' }, time, ...(s.halted === undefined ? {} : { halted: s.halted }) };
    },
    tick(runId, expectSeq, itemId, note) {
      const s = session(runId, expectSeq);
      requirePhase(s, ['prepare', 'baseline'], 'tick the checklist');
      if (!s.plan.checklist.some((item) => item.id === itemId)) throw new AppError('INPUT_INVALID', `The plan's checklist has no item ${itemId}.`, { itemId });
      return lastSeq(s.recorder.record([{ type: 'checklist.ticked', payload: { itemId, ...(note === undefined ? {} : { note }) } }], expectSeq));
    },
    runBaseline(runId, expectSeq, only = {}) {
      const s = session(runId, expectSeq);
      requirePhase(s, ['prepare', 'baseline'], 'run the baseline');
      const state = s.recorder.state;
      const unticked = s.plan.checklist.filter((item) => item.required && state.checklist[item.id] === undefined).map((item) => item.id);
      if (unticked.length > 0) throw new AppError('CHECKLIST_INCOMPLETE', `Tick the rollout checklist first: ${unticked.join(', ')} still open.`, { unticked });
      if (s.jobs.size > 0) throw new AppError('RUN_PHASE_WRONG', 'A baseline pass is still running on this run. Wait for it to finish.');
      const cells = selectBaselineCells(s.plan, state, only);
      if (cells.length === 0) throw new AppError('INPUT_INVALID', 'No baseline check matches that selection.', { ...only });
      const events: NewRunEvent[] = [
        ...(state.phase === 'prepare' ? [{ type: 'run.phase' as const, payload: { phase: 'baseline' as const } }] : []),
        ...cells.map((cell) => ({ type: 'baseline.started' as const, payload: { checkId: cell.check.id, host: cell.host } })),
      ];
      const seq = lastSeq(s.recorder.record(events, expectSeq));
      s.track(
        runBaselineCells(cells, {
          recorder: s.recorder,
          pool: s.pool(),
          endpoints: s.endpoints,
          values: variableValues(s.plan, s.secrets),
          checksPerHost,
          checkTimeoutMs,
        }),
      );
      return seq;
    },
    waive(runId, expectSeq, checkId, host, reason) {
      const s = session(runId, expectSeq);
      requirePhase(s, ['baseline'], 'waive a baseline check');
      const cell = s.recorder.state.baseline[baselineKey(checkId, host)];
      if (cell === undefined || (cell.status !== 'fail' && cell.status !== 'error')) {
        throw new AppError('INPUT_INVALID', `Only a failed or errored check can be waived; ${checkId} on ${host} is ${cell?.status ?? 'not run'}.`, { checkId, host });
      }
      if (reason.trim() === '') throw new AppError('INPUT_INVALID', 'A waiver needs a reason: say why deploying with this check failing is acceptable.');
      return lastSeq(s.recorder.record([{ type: 'baseline.waived', payload: { checkId, host, reason } }], expectSeq));
    },
    startDeployment(runId, expectSeq) {
      const s = session(runId, expectSeq);
      requirePhase(s, ['baseline', 'deploy', 'rollback'], 'start the deployment');
      if (s.recorder.state.phase === 'rollback') {
        // After a restart mid-rollback: the technician's go to carry on undoing.
        const seq = lastSeq(s.recorder.record([{ type: 'run.phase', payload: { phase: 'rollback' } }], expectSeq));
        s.clearFault();
        s.rollback.resume();
        return seq;
      }
      const state = s.recorder.state;
      if (state.phase === 'baseline') {
        const expected = selectBaselineCells(s.plan, state, {});
        const notRun = expected.filter((c) => {
          const status = state.baseline[baselineKey(c.check.id, c.host)]?.status;
          return status === undefined || status === 'running';
        });
        const failing = unwaivedBaselineFailures(state);
        if (notRun.length > 0 || failing.length > 0) {
          throw new AppError(
            'BASELINE_NOT_CLEAR',
            `Deployment cannot start: ${failing.length} baseline result(s) fail without a waiver and ${notRun.length} have not finished. Fix, rerun or waive them first.`,
            { failing: failing.map((c) => baselineKey(c.checkId, c.host)), notRun: notRun.map((c) => baselineKey(c.check.id, c.host)) },
          );
        }
      }
      if (state.phase === 'baseline') {
        const open = yellowFlags(store, s.plan, state).filter((f) => !state.acknowledgedFlags.includes(f.id));
        if (open.length > 0) {
          throw new AppError('FLAGS_UNACKNOWLEDGED', `Read and acknowledge the yellow flags before deploying: ${open.map((f) => f.id).join(', ')}.`, { flags: open.map((f) => f.id) });
        }
      }
      const missing = missingInputs(s.plan, s.secrets);
      if (missing.length > 0) throw new AppError('SECRET_MISSING', `Provide these values before deploying: ${missing.join(', ')}.`, { missing });
      // Starting, or resuming after a restart: either way the technician's explicit go, recorded.
      const seq = lastSeq(s.recorder.record([{ type: 'run.phase', payload: { phase: 'deploy' } }], expectSeq));
      s.clearFault();
      s.deployment.resume();
      return seq;
    },
    answer(runId, expectSeq, questionId, answer) {
      const s = session(runId, expectSeq);
      const { events, rollingBack } = answerEvents(s.plan, s.recorder.state, questionId, answer);
      const seq = lastSeq(s.recorder.record(events, expectSeq));
      if (rollingBack) s.rollback.resume();
      s.pumpAll();
      return seq;
    },
    abort(runId, expectSeq, reason) {
      const s = session(runId, expectSeq);
      requirePhase(s, ['prepare', 'baseline', 'deploy', 'handover'], 'be aborted');
      return lastSeq(s.recorder.record([{ type: 'run.aborted', payload: { reason } }], expectSeq));
    },
    runAdhoc(runId, expectSeq, host, command, reason) {
      const s = session(runId, expectSeq);
      requirePhase(s, ['baseline', 'deploy', 'rollback', 'rolled-back', 'handover'], 'run an ad-hoc command');
      if (!s.endpoints.has(host)) throw new AppError('INPUT_INVALID', `The plan has no host ${host}.`, { host });
      if (reason.trim() === '' || command.trim() === '') throw new AppError('INPUT_INVALID', 'An ad-hoc command needs the command and a reason for running it.');
      return s.adhoc.start(host, command, reason, expectSeq);
    },
    flags(runId) {
      const s = open(runId);
      return { flags: yellowFlags(store, s.plan, s.recorder.state), acknowledged: [...s.recorder.state.acknowledgedFlags] };
    },
    acknowledgeFlags(runId, expectSeq, flagIds, note) {
      const s = session(runId, expectSeq);
      requirePhase(s, ['prepare', 'baseline'], 'acknowledge yellow flags');
      const known = new Set(yellowFlags(store, s.plan, s.recorder.state).map((f) => f.id));
      const unknown = flagIds.filter((id) => !known.has(id));
      if (unknown.length > 0) throw new AppError('INPUT_INVALID', `These are not yellow flags of this run: ${unknown.join(', ')}. Look at the flags again.`, { unknown });
      return lastSeq(s.recorder.record([{ type: 'flags.acknowledged', payload: { flagIds: [...flagIds], note } }], expectSeq));
    },
    editStep(runId, expectSeq, stepId, run, reason) {
      const s = session(runId, expectSeq);
      requirePhase(s, ['prepare', 'baseline', 'deploy'], 'edit a step');
      const step = s.plan.steps.find((candidate) => candidate.id === stepId);
      if (step?.run === undefined) throw new AppError('INPUT_INVALID', `Only a step that runs a command can be edited; ${stepId} is not one in this plan.`, { stepId });
      if (Object.values(s.recorder.state.instances).some((i) => i.stepId === stepId && i.state === 'running')) {
        throw new AppError('RUN_PHASE_WRONG', `Step ${stepId} is running now; edit it once it has ended.`, { stepId });
      }
      return lastSeq(s.recorder.record([{ type: 'step.edited', payload: { stepId, run, reason } }], expectSeq));
    },
    exclusionPreview(runId, host) {
      const s = open(runId);
      if (!s.endpoints.has(host)) throw new AppError('INPUT_INVALID', `The plan has no host ${host}.`, { host });
      return exclusionOf(s.plan, s.recorder.state, host);
    },
    provideSecrets(runId, values) {
      const s = open(runId);
      const names = Object.keys(values);
      const known = new Set(Object.keys(s.plan.variables));
      const unknown = names.filter((name) => !known.has(name) && name !== 'sudo' && !/^sudo@[a-z0-9][a-z0-9-]*$/.test(name));
      if (unknown.length > 0) throw new AppError('INPUT_INVALID', `The plan has no variable ${unknown.join(', ')}; use a variable's name, 'sudo' or 'sudo@<host>'.`, { unknown });
      const fixed = names.filter((name) => s.plan.variables[name]?.value !== undefined);
      if (fixed.length > 0) throw new AppError('INPUT_INVALID', `The plan fixes the value of ${fixed.join(', ')}; it cannot be given on site.`, { fixed });
      for (const [name, value] of Object.entries(values)) s.secrets.set(name, value);
      // The journal says that a value was given, never the value.
      const seq = lastSeq(s.recorder.record(names.map((name) => ({ type: 'secret.provided' as const, payload: { name } }))));
      // Work cut off by a restart waits for the secrets, so that its output can be masked.
      s.pumpAll();
      return seq;
    },
    secretValues(runId) {
      return [...(sessions.get(runId)?.secrets.values() ?? [])].filter((value) => value !== '');
    },
    readOutput(runId, stream, offset, length) {
      open(runId);
      return store.output.read(runId, stream, { offset, length });
    },
    async idle(runId) {
      await open(runId).idle();
    },
    overrideHostKey(runId, expectSeq, host, fingerprint, reason) {
      const s = session(runId, expectSeq);
      if (!s.plan.hosts.some((h) => h.name === host)) throw new AppError('INPUT_INVALID', `The plan has no host ${host}.`, { host });
      return lastSeq(s.recorder.record([{ type: 'host.keyOverridden', payload: { host, fingerprint, reason } }], expectSeq));
    },
    record(runId, expectSeq, decide) {
      const s = expectSeq === undefined ? open(runId) : session(runId, expectSeq);
      return lastSeq(s.recorder.record(decide(s.plan, s.recorder.state), expectSeq));
    },
    async close() {
      const open = [...sessions.values()];
      sessions.clear();
      await Promise.all(open.map((s) => s.close()));
    },
  };
}
