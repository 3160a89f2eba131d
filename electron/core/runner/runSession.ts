import { isAppError, type AppErrorData } from '../../../shared/errors';
import type { Plan } from '../../../shared/plan';
import { createConnectionPool, type ConnectOptions, type ConnectionPool, type HostEndpoint } from '../ssh/connection';
import type { Store } from '../store';
import { Deployment } from './runDeployment';
import { Rollback } from './runRollback';
import { AdhocCommands } from './runAdhoc';
import { runHostKeyPolicy } from './runHostKeys';
import { createRunRecorder, type RunRecorder } from './runJournalWriter';
import { endpointsOf, loadRunPlan } from './runPlan';
import type { InstanceWorkOptions } from './activeWork';

// Everything the runner holds in memory for one open run. Nothing here is state of the run
// (that is the journal); it is the means to act on it: connections, secrets, running work.

export interface SessionSettings {
  readonly credentials: ConnectOptions['credentials'];
  readonly connect: Partial<Omit<ConnectOptions, 'credentials' | 'hostKeys'>>;
  readonly maxParallelSteps: number;
  readonly checkTimeoutMs: number;
  readonly onChanged: (runId: string, seq: number) => void;
  readonly onOutput: (runId: string, stream: string, offset: number, data: Buffer) => void;
}

export class RunSession {
  readonly recorder: RunRecorder;
  readonly plan: Plan;
  readonly endpoints: ReadonlyMap<string, HostEndpoint>;
  /** Secret variable values and sudo passwords: memory only, never journaled. */
  readonly secrets = new Map<string, string>();
  readonly deployment: Deployment;
  readonly rollback: Rollback;
  readonly adhoc: AdhocCommands;
  readonly jobs = new Set<Promise<void>>();
  /** Why the run is halted, if it is: shown with the run's state, since it could not be journaled. */
  halted: AppErrorData | undefined;
  private connections: ConnectionPool | undefined;

  constructor(
    private readonly store: Store,
    readonly runId: string,
    private readonly settings: SessionSettings,
  ) {
    this.recorder = createRunRecorder(store, runId, settings.onChanged);
    const planHash = this.recorder.state.planHash;
    this.plan = loadRunPlan(store, planHash ?? '');
    this.endpoints = endpointsOf(this.plan);
    const work: InstanceWorkOptions = {
      recorder: this.recorder,
      plan: this.plan,
      store,
      pool: () => this.pool(),
      endpoints: this.endpoints,
      secrets: this.secrets,
      maxParallel: settings.maxParallelSteps,
      onOutput: (stream, offset, data) => settings.onOutput(runId, stream, offset, data),
      afterWork: () => this.pumpAll(),
      onFault: (error) => this.fault(error),
    };
    this.deployment = new Deployment({ ...work, checkTimeoutMs: settings.checkTimeoutMs }, true);
    this.rollback = new Rollback(work, true);
    this.adhoc = new AdhocCommands({
      recorder: this.recorder,
      plan: this.plan,
      store,
      pool: () => this.pool(),
      endpoints: this.endpoints,
      secrets: this.secrets,
      onOutput: (stream, offset, data) => settings.onOutput(runId, stream, offset, data),
      onFault: (error) => this.fault(error),
    });
  }

  /** Lets whatever the run's phase calls for move on: start what may start, reattach what was cut off. */
  pumpAll(): void {
    if (this.halted !== undefined) return;
    try {
      this.adhoc.pump();
      this.deployment.pump();
      this.rollback.pump();
    } catch (error) {
      this.fault(error);
    }
  }

  /**
   * Something could not be recorded (a full disk, a failing drive, a bug): nothing more starts or
   * is reattached until the technician resumes. What was accepted stays; the hosts keep the rest.
   */
  fault(error: unknown): void {
    this.halted = isAppError(error)
      ? error.toData()
      : { code: 'INTERNAL', message: 'The run stopped on an unexpected error. Nothing was lost that the journal shows; export diagnostics and report it, then resume.' };
  }

  /** The technician resumes after a fault (the next record tells whether there is room again). */
  clearFault(): void {
    this.halted = undefined;
  }

  pool(): ConnectionPool {
    this.connections ??= createConnectionPool({ ...this.settings.connect, credentials: this.settings.credentials, hostKeys: runHostKeyPolicy(this.recorder) });
    return this.connections;
  }

  /** Background work (a baseline pass) that idle() waits for. */
  track(work: Promise<void>): void {
    // A failure here was journaled where it could be; one that could not (store closed) must not crash the app.
    const tracked = work.catch((error: unknown) => this.fault(error)).finally(() => this.jobs.delete(tracked));
    this.jobs.add(tracked);
  }

  async idle(): Promise<void> {
    for (;;) {
      if (this.jobs.size > 0) await Promise.allSettled([...this.jobs]);
      await this.deployment.idle();
      await this.rollback.idle();
      await this.adhoc.idle();
      if (this.jobs.size === 0) return;
    }
  }

  async close(): Promise<void> {
    this.deployment.stop();
    this.rollback.stop();
    this.adhoc.stop();
    await this.connections?.closeAll();
    this.connections = undefined;
  }
}
