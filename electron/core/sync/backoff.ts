// When to try again after a failed sync attempt: exponential backoff with full jitter (spreads a
// fleet of laptops that come back online together), capped, and never sooner than the server's
// `Retry-After`.

export interface WallClock {
  nowUtc(): Date;
}

export interface BackoffPolicy {
  /** delay ceiling of the first retry */
  baseMs: number;
  /** the ceiling never grows beyond this */
  capMs: number;
  /** the raw `Retry-After` header of the last answer: seconds or an HTTP-date */
  retryAfter?: string | undefined;
  /** a server asking for longer than this is not believed further (default 24 h) */
  maxRetryAfterMs?: number;
  clock?: WallClock;
  /** uniform in [0, 1) */
  random?: () => number;
}

const DEFAULT_MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Milliseconds to wait before retry number `attempt` (1 = the first retry after one failure).
 * Full jitter: uniform in [0, min(cap, base · 2^(attempt-1))), then at least the server's
 * `Retry-After`.
 */
export function nextAttemptDelay(attempt: number, policy: BackoffPolicy): number {
  const random = policy.random ?? Math.random;
  const exponent = Math.min(Math.max(attempt, 1) - 1, 52);
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  const jittered = Math.floor(clampUnit(random()) * ceiling);
  const asked = retryAfterMs(policy.retryAfter, policy.clock ?? { nowUtc: () => new Date() });
  if (asked === undefined) return jittered;
  return Math.max(jittered, Math.min(asked, policy.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS));
}

/** `Retry-After` as milliseconds from now; undefined when absent or unreadable. */
export function retryAfterMs(header: string | undefined, clock: WallClock): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // HTTP-date (IMF-fixdate, or the obsolete forms Date.parse also reads). A bare number with a
  // sign or a fraction is not valid and is ignored rather than guessed at.
  if (!/[a-z]/i.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - clock.nowUtc().getTime());
}

function clampUnit(x: number): number {
  if (!Number.isFinite(x) || x < 0) return 0;
  return x >= 1 ? 1 - Number.EPSILON : x;
}
