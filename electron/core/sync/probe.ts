// Is head office reachable right now, do the credentials work, and does the laptop's clock agree
// with the server's? A report's times are only as good as the laptop clock, so a skew of more
// than five minutes is reported for the technician to fix.
import type { AppErrorData } from '../../../shared/errors';
import type { WallClock } from './backoff';
import { sendDav, type DavConnection } from './davHttp';
import { failureOf } from './davOutcome';

export const CLOCK_SKEW_LIMIT_MS = 5 * 60 * 1000;

export type ProbeResult =
  | {
      online: true;
      /** server Date minus laptop time, in ms (positive: the laptop is behind); undefined without a Date header */
      clockSkewMs?: number;
      clockSkewed: boolean;
    }
  | { online: false; retryable: boolean; error: AppErrorData; retryAfter?: string };

export async function probe(connection: DavConnection, base: URL, clock: WallClock): Promise<ProbeResult> {
  const answer = await sendDav(connection, { method: 'PROPFIND', url: base, headers: { depth: '0' }, read: { kind: 'bytes', maxBytes: 256 * 1024 } });
  if (answer.ok && answer.status === 404) {
    return {
      online: false,
      retryable: false,
      error: { code: 'SYNC_BASE_MISSING', message: `The head-office folder ${decodeURIComponent(base.pathname)} does not exist. Check the address in the sync settings.` },
    };
  }
  if (answer.ok && (answer.status === 207 || answer.status === 200)) {
    const date = answer.headers.date;
    const serverTime = date === undefined ? NaN : Date.parse(date);
    if (Number.isNaN(serverTime)) return { online: true, clockSkewed: false };
    // HTTP dates have one-second resolution: allow for it before calling the clock wrong.
    const skew = serverTime - clock.nowUtc().getTime();
    return { online: true, clockSkewMs: skew, clockSkewed: Math.abs(skew) > CLOCK_SKEW_LIMIT_MS + 1000 };
  }
  const failure = failureOf(answer, 'reach head office');
  const result: ProbeResult = { online: false, retryable: failure.kind === 'retryable', error: failure.error };
  if (failure.kind === 'retryable' && failure.retryAfter !== undefined) result.retryAfter = failure.retryAfter;
  return result;
}
