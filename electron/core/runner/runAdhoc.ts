import type { AdhocCommand } from '../../../shared/run';
import type { ConnectionPool, HostEndpoint } from '../ssh/connection';
import { startCommand } from '../ssh/exec';
import type { Store } from '../store';
import type { RunRecorder } from './runJournalWriter';
import { variableValues } from './runPlan';
import type { Plan } from '../../../shared/plan';
import { canMaskOutput, followAfterLoss, reattachAfterRestart, secretValues } from './stepCommand';
import { acceptedLength, withStoredOutput } from './stepWork';

// Ad-hoc commands: what the technician types on site, with a reason. They run in the same
// wrapper as steps (so they survive the link and are reattached after a restart), their output
// is kept like a step's, and each one is a deviation in the report. Plan secrets are masked.

export interface AdhocOptions {
  readonly recorder: RunRecorder;
  readonly plan: Plan;
  readonly store: Store;
  readonly pool: () => ConnectionPool;
  readonly endpoints: ReadonlyMap<string, HostEndpoint>;
  readonly secrets: ReadonlyMap<string, string>;
  readonly onOutput: (stream: string, offset: number, data: Buffer) => void;
  /** Work failed in a way no outcome could record (the disk is full): the session halts. */
  readonly onFault: (error: unknown) => void;
}

export class AdhocCommands {
  private readonly active = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(private readonly options: AdhocOptions) {}

  /** Journals the command and starts it; returns the journal position of the start. */
  start(host: string, command: string, reason: string, expectSeq: number): number {
    const { recorder } = this.options;
    const adhocId = `a${recorder.state.headSeq + 1}`;
    const execId = `${recorder.runId}.${adhocId}`.replace(/[^A-Za-z0-9._-]/g, '_').slice(-128);
    const streams = { stdout: `adhoc/${adhocId}/${host}/stdout`, stderr: `adhoc/${adhocId}/${host}/stderr` };
    const [event] = recorder.record([{ type: 'adhoc.started', payload: { adhocId, host, command, reason, execId, streams } }], expectSeq);
    const values = variableValues(this.options.plan, this.options.secrets);
    this.track(adhocId, streams, async (sink) => {
      const connection = await this.options.pool().get(this.options.endpoints.get(host)!);
      const result = await startCommand(connection, { execId, command, secrets: secretValues(values) }, sink);
      if (result.kind === 'link-lost') return followAfterLoss(this.commandOptions(host, execId), result.offsets, secretValues(values), sink, result.reason);
      if (result.kind === 'exited') return { kind: 'exited', code: result.code };
      if (result.kind === 'signalled') return { kind: 'signalled', signal: result.signal };
      return { kind: 'unknown', reason: result.reason };
    });
    return event!.seq;
  }

  /** Commands the journal shows running that nobody follows here (a restart): reattach. */
  pump(): void {
    if (this.stopped) return;
    for (const adhoc of this.options.recorder.state.adhoc) {
      if (adhoc.state === 'running' && !this.active.has(adhoc.adhocId)) this.reattach(adhoc);
    }
  }

  async idle(): Promise<void> {
    while (this.active.size > 0) await Promise.allSettled([...this.active.values()]);
  }

  stop(): void {
    this.stopped = true;
  }

  private reattach(adhoc: AdhocCommand): void {
    if (!canMaskOutput(this.options.plan, this.options.secrets)) return;
    const accepted = (stream: string): number => acceptedLength(this.options.store, this.options.recorder.runId, stream);
    const from = { stdout: accepted(adhoc.streams.stdout), stderr: accepted(adhoc.streams.stderr) };
    const options = this.commandOptions(adhoc.host, adhoc.execId);
    this.track(adhoc.adhocId, adhoc.streams, (sink) => reattachAfterRestart(options, from, sink));
  }

  private commandOptions(host: string, execId: string) {
    return {
      pool: this.options.pool(),
      endpoint: this.options.endpoints.get(host)!,
      execId,
      values: variableValues(this.options.plan, this.options.secrets),
      sudoPassword: undefined,
      stopped: () => this.stopped,
    };
  }

  private track(adhocId: string, streams: { stdout: string; stderr: string }, run: Parameters<typeof withStoredOutput>[4]): void {
    const { store, recorder } = this.options;
    const work = withStoredOutput(store, recorder.runId, streams, this.options.onOutput, run).then(({ outcome, output }) => {
      if (!this.stopped) recorder.record([{ type: 'adhoc.ended', payload: { adhocId, outcome, output } }]);
    });
    const tracked = work.catch((error: unknown) => this.options.onFault(error)).finally(() => this.active.delete(adhocId));
    this.active.set(adhocId, tracked);
  }
}
