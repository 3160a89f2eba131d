// A call that changes the open run: it names the journal head the technician saw; afterwards the
// run is refetched. A refusal because the run moved on (JOURNAL_POSITION_STALE) refetches too and
// says so, so the technician decides again on what is really there.
import { errorText, UiError } from '../../api/api';
import { t } from '../../i18n/t';
import { expectSeq, useRunStore } from '../../state/runStore';

export async function runAction(change: (expectSeq: number) => Promise<unknown>): Promise<void> {
  try {
    await change(expectSeq());
  } catch (error) {
    const { code } = errorText(error);
    if (code === 'JOURNAL_POSITION_STALE') {
      await useRunStore.getState().refresh();
      throw new UiError({ code, message: t('state.stale') });
    }
    throw error;
  }
  await useRunStore.getState().refresh();
}

/** What to show for a refused action: the core's message and its code. */
export function refusalText(error: unknown): string {
  const { code, message } = errorText(error);
  return t('state.error', { message, code });
}
