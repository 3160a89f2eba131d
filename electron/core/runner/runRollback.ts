import type { Plan, PlanStep } from '../../../shared/plan';
import { actionOf } from '../../../shared/plan';
import { blockingQuestion, instanceKey, type RollbackInstance, type StepOutcome } from '../../../shared/run';
import type { MaskedChunk } from '../ssh/exec';
import type { NewRunEvent } from './runJournalWriter';
import { hostsOfStep, sudoPasswordFor, variableValues } from './runPlan';
import { canMaskOutput, execIdOf, launchStep, reattachAfterRestart } from './stepCommand';
import { acceptedLength, summaryOf, uploadArtifact, withStoredOutput, type StreamDigests } from './stepWork';
import { ActiveWork, type InstanceWorkOptions } from './activeWork';

// Rolling back: the `rollback` action of every step instance that did something (succeeded,
// failed or unknown: a failed step may be half done), in reverse dependency order: a step's
// rollback starts once every step that depends on it, directly or not, has been rolled back.
// A failed rollback action pauses everything for a decision (retry, skip with a reason, abort).

export type RollbackOptions = InstanceWorkOptions;

const DONE: ReadonlySet<RollbackInstance['state']> = new Set(['succeeded', 'skipped']);

export class Rollback {
  private readonly active: ActiveWork;
  private paused: boolean;
  private stopped = false;

  constructor(
    private readonly options: RollbackOptions,
    paused: boolean,
  ) {
    this.paused = paused;
    this.active = new ActiveWork(options, () => this.stopped);
  }

  resume(): void {
    this.paused = false;
    this.pump();
  }

  stop(): void {
    this.stopped = true;
    this.paused = true;
  }

  async idle(): Promise<void> {
    await this.active.idle();
  }

  /** Instances whose rollback action must run: they did something and the plan says how to undo it. */
  targets(): Array<{ step: PlanStep; host: string }> {
    const { plan, recorder } = this.options;
    const out: Array<{ step: PlanStep; host: string }> = [];
    for (const step of plan.steps) {
      if (step.rollback === undefined) continue;
      for (const host of hostsOfStep(plan, step)) {
        const instance = recorder.state.instances[instanceKey(step.id, host)];
        if (instance === undefined || instance.attempt === 0) continue;
        const didSomething = instance.state === 'succeeded' || instance.state === 'failed' || instance.state === 'unknown' || (instance.state === 'waiting' && instance.action !== 'manual');
        if (didSomething) out.push({ step, host });
      }
    }
    return out;
  }

  pump(): void {
    const { recorder, plan } = this.options;
    const state = recorder.state;
    if (state.phase !== 'rollback' || this.stopped) return;
    for (const r of Object.values(state.rollbacks)) {
      if (r.state === 'running' && !this.active.has(instanceKey(r.stepId, r.host))) this.reattach(r);
    }
    if (this.paused || blockingQuestion(state) !== undefined) return;
    // Steps still finishing from the deployment are waited for: nothing is undone under them.
    if (Object.values(state.instances).some((i) => i.state === 'running')) return;
    const targets = this.targets();
    const rollbackOf = (stepId: string, host: string): RollbackInstance | undefined => recorder.state.rollbacks[instanceKey(stepId, host)];
    const settled = (stepId: string): boolean => targets.filter((t) => t.step.id === stepId).every((t) => DONE.has(rollbackOf(stepId, t.host)?.state ?? 'pending'));
    const dependents = dependentsOf(plan);
    for (const { step, host } of targets) {
      const current = rollbackOf(step.id, host);
      if ((current?.state ?? 'pending') !== 'pending' || this.active.has(instanceKey(step.id, host))) continue;
      if (![...(dependents.get(step.id) ?? [])].every(settled)) continue;
      if (this.active.size >= this.options.maxParallel) return;
      this.start(step, host, (current?.attempt ?? 0) + 1);
    }
    const all = this.targets();
    if (all.every((t) => DONE.has(rollbackOf(t.step.id, t.host)?.state ?? 'pending')) && recorder.state.questions.length === 0 && this.active.size === 0) {
      recorder.record([{ type: 'run.phase', payload: { phase: 'rolled-back' } }]);
    }
  }

  private start(step: PlanStep, host: string, attempt: number): void {
    const { recorder } = this.options;
    const rollback = step.rollback!;
    const action = actionOf(rollback);
    const execId = execIdOf(recorder.runId, `rollback-${step.id}`, host, attempt);
    if (action.kind === 'manual') {
      recorder.record([
        { type: 'rollback.started', payload: { stepId: step.id, host, attempt, execId, action: 'manual' } },
        { type: 'question.asked', payload: { kind: 'manual', stepId: step.id, host, attempt, instructions: action.manual.instructions, during: 'rollback' } },
      ]);
      return;
    }
    const streams = { stdout: `rollback/${step.id}/${host}/${attempt}/stdout`, stderr: `rollback/${step.id}/${host}/${attempt}/stderr` };
    recorder.record([{ type: 'rollback.started', payload: { stepId: step.id, host, attempt, execId, action: action.kind, ...(action.kind === 'run' ? { streams } : {}) } }]);
    if (action.kind === 'run') {
      const asStep = this.asStep(step);
      this.track(step, host, this.execute(step, host, attempt, streams, (sink) => launchStep(asStep, action.run, this.commandOptions(host, execId), sink)));
    } else {
      this.track(
        step,
        host,
        uploadArtifact(this.options.store, this.options.plan, this.options.pool(), this.options.endpoints.get(host)!, action.upload, variableValues(this.options.plan, this.options.secrets)).then(({ outcome, upload }) =>
          this.finish(step, host, attempt, outcome, undefined, upload),
        ),
      );
    }
  }

  private reattach(r: RollbackInstance): void {
    const step = this.options.plan.steps.find((s) => s.id === r.stepId);
    if (step === undefined) return;
    if (r.action !== 'run' || r.streams === undefined || r.execId === undefined) {
      this.track(step, r.host, Promise.resolve(this.finish(step, r.host, r.attempt, { kind: 'unknown', reason: 'interrupted' }, undefined)));
      return;
    }
    if (!canMaskOutput(this.options.plan, this.options.secrets, this.asStep(step).sudo ? r.host : undefined)) return;
    const accepted = (stream: string): number => acceptedLength(this.options.store, this.options.recorder.runId, stream);
    const from = { stdout: accepted(r.streams.stdout), stderr: accepted(r.streams.stderr) };
    const options = this.commandOptions(r.host, r.execId);
    this.track(step, r.host, this.execute(step, r.host, r.attempt, r.streams, (sink) => reattachAfterRestart(options, from, sink)));
  }

  /** The rollback runs with the step's settings unless it names its own sudo and timeout. */
  private asStep(step: PlanStep): PlanStep {
    const rollback = step.rollback!;
    const timeout = rollback.timeout ?? step.timeout;
    const { timeout: _t, ...rest } = step;
    return { ...rest, sudo: rollback.sudo ?? step.sudo, ...(timeout === undefined ? {} : { timeout }) };
  }

  private commandOptions(host: string, execId: string) {
    return {
      pool: this.options.pool(),
      endpoint: this.options.endpoints.get(host)!,
      execId,
      values: variableValues(this.options.plan, this.options.secrets),
      sudoPassword: sudoPasswordFor(this.options.secrets, host),
      stopped: () => this.stopped,
    };
  }

  private track(step: PlanStep, host: string, work: Promise<void>): void {
    this.active.track(instanceKey(step.id, host), work);
  }

  private async execute(
    step: PlanStep,
    host: string,
    attempt: number,
    streams: { stdout: string; stderr: string },
    run: (sink: (chunk: MaskedChunk) => void) => Promise<StepOutcome>,
  ): Promise<void> {
    const { outcome, output } = await withStoredOutput(this.options.store, this.options.recorder.runId, streams, this.options.onOutput, run);
    this.finish(step, host, attempt, outcome, output);
  }

  private finish(step: PlanStep, host: string, attempt: number, outcome: StepOutcome, output: StreamDigests | undefined, upload?: { remotePath: string; bytes: number; sha256: string }): void {
    if (this.stopped) return;
    const ended: NewRunEvent = {
      type: 'rollback.ended',
      payload: { stepId: step.id, host, attempt, outcome, ...(output === undefined ? {} : { output }), ...(upload === undefined ? {} : { upload }) },
    };
    const ok = outcome.kind === 'exited' && outcome.code === 0;
    this.options.recorder.record([
      ended,
      ...(ok ? [] : [{ type: 'question.asked' as const, payload: { kind: 'failure' as const, stepId: step.id, host, attempt, summary: `rollback ${summaryOf(outcome)}`, during: 'rollback' as const } }]),
    ]);
  }
}

/** For each step, the steps that need it directly or through others. */
export function dependentsOf(plan: Plan): Map<string, Set<string>> {
  const direct = new Map<string, string[]>(plan.steps.map((s) => [s.id, []]));
  for (const step of plan.steps) for (const need of step.needs) direct.get(need)?.push(step.id);
  const closure = new Map<string, Set<string>>();
  const visit = (id: string): Set<string> => {
    const known = closure.get(id);
    if (known !== undefined) return known;
    const all = new Set<string>();
    closure.set(id, all);
    for (const next of direct.get(id) ?? []) {
      all.add(next);
      for (const further of visit(next)) all.add(further);
    }
    return all;
  };
  for (const step of plan.steps) visit(step.id);
  return closure;
}
