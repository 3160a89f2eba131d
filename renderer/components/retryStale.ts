// A run action that only needs the run's current journal position (attaching a finished upload,
// say) is tried once more when the run moved on meanwhile: the technician decided nothing on the
// old state, so there is nothing to look at again, and the bytes need not be sent twice.
import type { RunActionFailure } from './runAction';

/** `act` answers undefined when it worked; a JOURNAL_POSITION_STALE failure is retried once (act reads the fresh position). */
export async function retryOnceIfStale(act: () => Promise<RunActionFailure | undefined>): Promise<RunActionFailure | undefined> {
  const failed = await act();
  return failed?.code === 'JOURNAL_POSITION_STALE' ? act() : failed;
}
