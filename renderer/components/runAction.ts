// Calling a method that changes the open run: it names the journal position the technician saw,
// and when the run moved on meanwhile (JOURNAL_POSITION_STALE) the run is refetched and the
// technician is told to look again rather than shown a bare error.
import { errorText } from '../api/api';
import { t } from '../i18n/t';
import { expectSeq, useRunStore } from '../state/runStore';

export interface RunActionFailure {
  readonly code: string;
  readonly message: string;
}

/** Runs `act(expectSeq)`; answers undefined when it worked, else what to show. Refreshes the run either way. */
export async function runAction(act: (seq: number) => Promise<unknown>): Promise<RunActionFailure | undefined> {
  try {
    await act(expectSeq());
    await useRunStore.getState().refresh();
    return undefined;
  } catch (error) {
    const failure = errorText(error);
    await useRunStore.getState().refresh();
    return failure.code === 'JOURNAL_POSITION_STALE' ? { code: failure.code, message: t('state.stale') } : failure;
  }
}
