import { AppError } from '../../../../shared/errors';
import type { SigningIdentity } from '../../keys';
import { exportRunReport } from '../../report/content/exportRunReport';
import { exportParentOf } from '../../report/exports/exportFolder';
import { handoverTickEvents, signOffEvents } from '../../runner/runHandover';
import { createRunRecorder, type NewRunEvent } from '../../runner/runJournalWriter';
import { loadRunPlan } from '../../runner/runPlan';
import type { Plan } from '../../../../shared/plan';
import type { RunState } from '../../../../shared/run';
import type { Store } from '../../store';
import type { WallClock } from '../../sync';
import type { Handlers } from '../dispatch';

type ReportMethod = 'runs.handover.tick' | 'runs.handover.signOff' | 'reports.export';

export interface ReportPorts {
  readonly store: Store;
  /** A fixed signing identity (tests, the CLI); otherwise `signingIdentity` is asked at each export. */
  readonly signing?: { readonly identity: SigningIdentity };
  /** The key vault's identity; throws KEY_LOCKED or KEY_MISSING (saying what to do) when it cannot sign. */
  readonly signingIdentity?: () => Promise<SigningIdentity>;
  /** The run's secret values held this session: export refuses a bundle in which one (or its base64, URL or JSON form) shows. */
  readonly secretValues?: (runId: string) => readonly string[];
  readonly appVersion: string;
  readonly clock?: WallClock;
  readonly onChanged: (runId: string, seq: number) => void;
  /**
   * Commits events decided against a run's plan and folded state, with the caller's expected
   * journal position. The core should pass the runner's (its open session's recorder then stays
   * current); the default folds the journal afresh and leaves an open session's state behind.
   */
  readonly recordRunEvents?: RecordRunEvents;
}

export type RecordRunEvents = (runId: string, expectSeq: number | undefined, decide: (plan: Plan, state: RunState) => NewRunEvent[]) => number;

function freshRecorder(store: Store, onChanged: (runId: string, seq: number) => void): RecordRunEvents {
  return (runId, expectSeq, decide) => {
    const run = store.runs.get(runId);
    if (run === undefined) throw new AppError('RUN_NOT_FOUND', `There is no run ${runId} in this data folder. Pick the run again from the list of runs.`, { runId });
    const recorder = createRunRecorder(store, runId, onChanged);
    if (expectSeq !== undefined && recorder.state.headSeq !== expectSeq) {
      throw new AppError(
        'JOURNAL_POSITION_STALE',
        `The run has moved on since this was shown (expected it at event ${expectSeq}, it is at event ${recorder.state.headSeq}). Look at the run again, then decide.`,
        { runId, expectedSeq: expectSeq, headSeq: recorder.state.headSeq },
      );
    }
    const written = recorder.record(decide(loadRunPlan(store, run.planHash), recorder.state), expectSeq);
    return written[written.length - 1]!.seq;
  };
}

export function reportHandlers(ports: ReportPorts): Pick<Handlers, ReportMethod> {
  const { store } = ports;
  const record = ports.recordRunEvents ?? freshRecorder(store, ports.onChanged);
  return {
    'runs.handover.tick': ({ runId, expectSeq, itemId, note }) => ({ seq: record(runId, expectSeq, (plan, state) => handoverTickEvents(plan, state, itemId, note)) }),
    'runs.handover.signOff': ({ runId, expectSeq, role, name, title, signaturePng }) => ({
      seq: record(runId, expectSeq, (plan, state) =>
        signOffEvents(plan, state, { role, name, ...(title === undefined ? {} : { title }), ...(signaturePng === undefined ? {} : { signaturePng }) }),
      ),
    }),
    'reports.export': async ({ runId, outDir }) => {
      const identity = ports.signing?.identity ?? (await ports.signingIdentity?.());
      if (identity === undefined) {
        throw new AppError('KEY_MISSING', 'No signing key is set up in this Fieldrun, so the report cannot be signed. Set up the technician key, then export again.', { runId });
      }
      const secrets = ports.secretValues?.(runId) ?? [];
      const result = await exportRunReport({
        store,
        runId,
        outParent: await exportParentOf(store.dataDir, outDir),
        identity,
        appVersion: ports.appVersion,
        recordExport: (payload) => record(runId, undefined, () => [{ type: 'report.exported', payload }]),
        ...(secrets.length === 0 ? {} : { secrets }),
        ...(ports.clock === undefined ? {} : { clock: ports.clock }),
      });
      return result;
    },
  };
}
