import type { PlanStep } from '../../../shared/plan';
import { actionOf, stepOrder } from '../../../shared/plan';
import { blockingQuestion, instanceKey, type StepInstance, type StepOutcome } from '../../../shared/run';
import { runCheck } from '../checks';
import type { MaskedChunk } from '../ssh/exec';
import { describe } from './runBaseline';
import type { NewRunEvent } from './runJournalWriter';
import { hostsOfStep, sudoPasswordFor, variableValues } from './runPlan';
import { canMaskOutput, execIdOf, launchStep, reattachAfterRestart } from './stepCommand';
import { acceptedLength, summaryOf, uploadArtifact, withStoredOutput } from './stepWork';
import { ActiveWork, type InstanceWorkOptions } from './activeWork';

// The deployment: one instance per (step, host), started when every instance of the steps it
// needs has succeeded or was skipped, `serial` hosts at a time, at most `maxParallel` at once.
// A failure (or an unknown outcome) stops new starts everywhere until the technician decides.
// Everything is decided from the folded journal, so the same code resumes after a restart.

export interface DeploymentOptions extends InstanceWorkOptions {
  readonly checkTimeoutMs: number;
}

const SETTLED: ReadonlySet<StepInstance['state']> = new Set(['succeeded', 'skipped']);
const BUSY: ReadonlySet<StepInstance['state']> = new Set(['running', 'waiting']);

export class Deployment {
  private readonly active: ActiveWork;
  /** After a restart nothing new starts until the technician resumes; reattaching changes nothing. */
  private paused: boolean;

  constructor(
    private readonly options: DeploymentOptions,
    paused: boolean,
  ) {
    this.paused = paused;
    this.active = new ActiveWork(options, () => this.stopped);
  }

  private stopped = false;

  /** The app is closing: finish nothing more here; the journal shows what was running. */
  stop(): void {
    this.stopped = true;
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.pump();
  }

  /** Resolves when no instance of this run is executing here. */
  async idle(): Promise<void> {
    await this.active.idle();
  }

  pump(): void {
    const { recorder, plan } = this.options;
    const state = recorder.state;
    if (state.phase !== 'deploy' || this.stopped) return;
    // Instances the journal says are running but nobody here follows: a restart. Reattach.
    for (const instance of Object.values(state.instances)) {
      if (instance.state === 'running' && !this.active.has(instanceKey(instance.stepId, instance.host))) this.reattachInstance(instance);
    }
    if (this.paused || blockingQuestion(state) !== undefined) return;
    const steps = new Map(plan.steps.map((s) => [s.id, s]));
    const instanceOf = (stepId: string, host: string): StepInstance | undefined => recorder.state.instances[instanceKey(stepId, host)];
    const settled = (step: PlanStep): boolean => hostsOfStep(plan, step).every((host) => SETTLED.has(instanceOf(step.id, host)?.state ?? 'pending'));
    let allSettled = true;
    for (const stepId of stepOrder(plan)) {
      const step = steps.get(stepId)!;
      const hosts = hostsOfStep(plan, step);
      if (!settled(step)) allSettled = false;
      if (!step.needs.every((need) => settled(steps.get(need)!))) continue;
      let busy = hosts.filter((host) => BUSY.has(instanceOf(stepId, host)?.state ?? 'pending')).length;
      for (const host of hosts) {
        if (recorder.state.hosts[host]?.excluded !== undefined) continue;
        const instance = instanceOf(stepId, host);
        if ((instance?.state ?? 'pending') !== 'pending' || this.active.has(instanceKey(stepId, host))) continue;
        if (step.serial !== undefined && busy >= step.serial) break;
        if (this.active.size >= this.options.maxParallel) return;
        this.start(step, host, (instance?.attempt ?? 0) + 1);
        busy += 1;
      }
    }
    if (allSettled && recorder.state.questions.length === 0 && this.active.size === 0 && recorder.state.phase === 'deploy') {
      recorder.record([{ type: 'run.phase', payload: { phase: 'handover' } }]);
    }
  }

  private start(step: PlanStep, host: string, attempt: number): void {
    const { recorder } = this.options;
    const runId = recorder.runId;
    const execId = execIdOf(runId, step.id, host, attempt);
    const action = actionOf(step);
    if (action.kind === 'manual') {
      recorder.record([
        { type: 'step.started', payload: { stepId: step.id, host, attempt, execId, action: 'manual' } },
        { type: 'question.asked', payload: { kind: 'manual', stepId: step.id, host, attempt, instructions: action.manual.instructions } },
      ]);
      return;
    }
    const streams = { stdout: `step/${step.id}/${host}/${attempt}/stdout`, stderr: `step/${step.id}/${host}/${attempt}/stderr` };
    recorder.record([{ type: 'step.started', payload: { stepId: step.id, host, attempt, execId, action: action.kind, ...(action.kind === 'run' ? { streams } : {}) } }]);
    const command = action.kind === 'run' ? (recorder.state.stepEdits[step.id]?.run ?? action.run) : '';
    const work = action.kind === 'run' ? this.execute(step, host, attempt, streams, (sink) => launchStep(step, command, this.commandOptions(host, execId), sink)) : this.upload(step, host, attempt);
    this.track(step.id, host, work);
  }

  private reattachInstance(instance: StepInstance): void {
    const step = this.options.plan.steps.find((s) => s.id === instance.stepId);
    if (step === undefined) return;
    const { stepId, host, attempt } = instance;
    if (instance.action !== 'run' || instance.streams === undefined || instance.execId === undefined) {
      // An upload cut off by a restart may or may not have landed: unknown, verify decides.
      this.track(stepId, host, this.finish(step, host, attempt, { kind: 'unknown', reason: 'interrupted' }, undefined));
      return;
    }
    if (!canMaskOutput(this.options.plan, this.options.secrets, step.sudo ? host : undefined)) return;
    const streams = instance.streams;
    const accepted = (stream: string): number => acceptedLength(this.options.store, this.options.recorder.runId, stream);
    const from = { stdout: accepted(streams.stdout), stderr: accepted(streams.stderr) };
    const options = this.commandOptions(host, instance.execId);
    const work = this.execute(step, host, attempt, streams, (sink) => reattachAfterRestart(options, from, sink));
    this.track(stepId, host, work);
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

  private track(stepId: string, host: string, work: Promise<void>): void {
    this.active.track(instanceKey(stepId, host), work);
  }

  private async execute(
    step: PlanStep,
    host: string,
    attempt: number,
    streams: { stdout: string; stderr: string },
    run: (sink: (chunk: MaskedChunk) => void) => Promise<StepOutcome>,
  ): Promise<void> {
    const { outcome, output } = await withStoredOutput(this.options.store, this.options.recorder.runId, streams, this.options.onOutput, run);
    await this.finish(step, host, attempt, outcome, output);
  }

  private async upload(step: PlanStep, host: string, attempt: number): Promise<void> {
    const { outcome, upload } = await uploadArtifact(this.options.store, this.options.plan, this.options.pool(), this.options.endpoints.get(host)!, step.upload!, variableValues(this.options.plan, this.options.secrets));
    await this.finish(step, host, attempt, outcome, undefined, upload);
  }

  /** Records the end and, in the same transaction, the question it raises. */
  private async finish(
    step: PlanStep,
    host: string,
    attempt: number,
    outcome: StepOutcome,
    output: { stdout: { length: number; sha256: string }; stderr: { length: number; sha256: string } } | undefined,
    upload?: { remotePath: string; bytes: number; sha256: string },
  ): Promise<void> {
    const { recorder } = this.options;
    // Closing: what happened is still on the host and is recovered when the run is opened again.
    if (this.stopped) return;
    const ended: NewRunEvent = {
      type: 'step.ended',
      payload: { stepId: step.id, host, attempt, outcome, ...(output === undefined ? {} : { output }), ...(upload === undefined ? {} : { upload }) },
    };
    if (outcome.kind === 'unknown') {
      recorder.record([ended]);
      await this.decideUnknown(step, host, attempt, outcome.reason);
      return;
    }
    const ok = outcome.kind === 'exited' && outcome.code === 0;
    const follow: NewRunEvent[] = ok
      ? step.confirm === undefined
        ? []
        : [{ type: 'question.asked', payload: { kind: 'confirm', stepId: step.id, host, attempt, question: step.confirm } }]
      : [{ type: 'question.asked', payload: { kind: 'failure', stepId: step.id, host, attempt, summary: summaryOf(outcome) } }];
    recorder.record([ended, ...follow]);
  }

  /** An unknown outcome: the step's verify check decides where the plan has one, else the technician. */
  private async decideUnknown(step: PlanStep, host: string, attempt: number, reason: string): Promise<void> {
    const { recorder } = this.options;
    if (step.verify !== undefined && recorder.state.phase === 'deploy') {
      try {
        const connection = await this.options.pool().get(this.options.endpoints.get(host)!);
        const run = await runCheck(connection, step.verify, variableValues(this.options.plan, this.options.secrets), { timeoutMs: this.options.checkTimeoutMs });
        recorder.record([{ type: 'step.verified', payload: { stepId: step.id, host, attempt, status: run.verdict.status, summary: run.verdict.summary } }]);
        if (run.verdict.status === 'pass') return;
      } catch (error) {
        recorder.record([{ type: 'step.verified', payload: { stepId: step.id, host, attempt, status: 'error', summary: describe(error).message } }]);
      }
    }
    recorder.record([
      { type: 'question.asked', payload: { kind: 'unknown', stepId: step.id, host, attempt, summary: `outcome unknown (${reason})`, idempotent: step.idempotent } },
    ]);
  }
}
