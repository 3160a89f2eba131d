import type { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { foldRun, reduceRun, runEventSchemas, type RunEventType, type RunState } from '../../../shared/run';
import type { JournalEvent, Store } from '../store';

// The one way the runner writes a run's journal: payloads checked against their schemas, the
// events committed, then the in-memory state moved by the same fold a fresh process would use,
// and only then are subscribers told. Nothing is said before it is recorded.

export type NewRunEvent = { [T in RunEventType]: { readonly type: T; readonly payload: z.input<(typeof runEventSchemas)[T]> } }[RunEventType];

export interface RunRecorder {
  readonly runId: string;
  readonly state: RunState;
  /** Appends in one transaction; `expectSeq` refuses with JOURNAL_POSITION_STALE if the run moved. */
  record(events: readonly NewRunEvent[], expectSeq?: number): JournalEvent[];
}

export function createRunRecorder(store: Store, runId: string, onChanged: (runId: string, seq: number) => void): RunRecorder {
  let state = foldRun(store.journal.events(runId));
  return {
    runId,
    get state() {
      return state;
    },
    record(events, expectSeq) {
      const checked = events.map((event) => {
        const parsed = runEventSchemas[event.type].safeParse(event.payload);
        if (!parsed.success) {
          throw new AppError('INTERNAL', `The runner built a malformed ${event.type} event (${parsed.error.issues[0]?.message ?? 'bad payload'}). This is a bug in Fieldrun; please report it.`);
        }
        return { type: event.type, payload: parsed.data };
      });
      const written = store.journal.appendMany(runId, checked, expectSeq === undefined ? {} : { expectSeq });
      for (const event of written) state = reduceRun(state, event);
      const last = written[written.length - 1];
      if (last !== undefined) onChanged(runId, last.seq);
      return written;
    },
  };
}
