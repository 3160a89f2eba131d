import { join } from 'node:path';
import { AppError } from '../../../shared/errors';
import type { Store } from '../store';
import { storeOutputSource } from './outputSource';
import { bundleFolderName, writeBundle, type WriteBundleInput, type WrittenBundle } from './writeBundle';

export interface ExportStoredRunInput extends Omit<WriteBundleInput, 'outDir' | 'runId' | 'planHash' | 'events' | 'outputs'> {
  readonly store: Store;
  readonly runId: string;
  /** The bundle goes to `<outParent>/fieldrun-report-<run id>-<export seq>` and its `.tar` beside it. */
  readonly outParent: string;
}

/** Exports a run straight from the store: its whole journal and every output stream, read in bounded batches. */
export async function exportStoredRun(input: ExportStoredRunInput): Promise<WrittenBundle> {
  const { store, runId, outParent, ...rest } = input;
  const run = store.runs.get(runId);
  if (run === undefined) throw new AppError('RUN_NOT_FOUND', `There is no run ${runId} in this data folder. Pick the run again from the list of runs.`, { runId });
  return writeBundle({
    ...rest,
    outDir: join(outParent, bundleFolderName(runId, input.exportSeq)),
    runId,
    planHash: run.planHash,
    events: store.journal.events(runId),
    outputs: storeOutputSource(store.output, runId),
  });
}
