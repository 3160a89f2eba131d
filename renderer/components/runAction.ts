// Calling a method that changes the open run: it names the journal position the technician saw,
// and when the run moved on meanwhile (JOURNAL_POSITION_STALE) the run is refetched and the
// technician is told to look again rather than shown a bare error.
import { errorText, UiError } from '../api/api';
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

/**
 * The throwing form, for dialogs that show a rejection (ReasonDialog) or decide on the refusal's
 * code and details (a rollback past the point of no return is asked again): resolves when it
 * worked; otherwise the run is refetched and the core's error is thrown as it came, except a
 * stale position, thrown with the text that says to look again.
 */
export async function runActionOrThrow(act: (seq: number) => Promise<unknown>): Promise<void> {
  try {
    await act(expectSeq());
  } catch (error) {
    await useRunStore.getState().refresh();
    if (errorText(error).code === 'JOURNAL_POSITION_STALE') throw new UiError({ code: 'JOURNAL_POSITION_STALE', message: t('state.stale') });
    throw error;
  }
  await useRunStore.getState().refresh();
}

/** What to show for a refused action (a thrown error or a RunActionFailure): the core's message and its code; a stale position says only to look again. */
export function refusalText(error: unknown): string {
  const { code, message } = isFailure(error) ? error : errorText(error);
  return code === 'JOURNAL_POSITION_STALE' ? t('state.stale') : t('state.error', { message, code });
}

function isFailure(value: unknown): value is RunActionFailure {
  return typeof value === 'object' && value !== null && !(value instanceof Error) && typeof (value as { code?: unknown }).code === 'string' && typeof (value as { message?: unknown }).message === 'string';
}
