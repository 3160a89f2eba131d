import type { Dispatch } from '../api/dispatch';
import type { ErrorCode } from '../../../shared/errors';

// The last refusals and failures of the core, for the diagnostics file: the method and the
// error code only. Messages and details are left out on purpose: they may quote plan values,
// host addresses or paths, and a diagnostics file is sent to people outside the site.

export interface RecordedFailure {
  readonly timeUtc: string;
  readonly method: string;
  readonly code: ErrorCode;
}

export const RECENT_FAILURES_KEPT = 50;

export class RecentFailures {
  private readonly entries: RecordedFailure[] = [];

  constructor(
    private readonly now: () => Date = () => new Date(),
    private readonly limit = RECENT_FAILURES_KEPT,
  ) {}

  record(method: string, code: ErrorCode): void {
    this.entries.push({ timeUtc: this.now().toISOString(), method, code });
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
  }

  /** Oldest first. */
  list(): readonly RecordedFailure[] {
    return [...this.entries];
  }
}

/** The same dispatch, with every refused or failed call noted (an unknown method is noted under a fixed name: its text is untrusted input). */
export function noteFailures(dispatch: Dispatch, failures: RecentFailures): Dispatch {
  return async (method, input) => {
    const result = await dispatch(method, input);
    if (!result.ok) failures.record(result.error.code === 'METHOD_UNKNOWN' ? '(unknown method)' : String(method), result.error.code);
    return result;
  };
}
