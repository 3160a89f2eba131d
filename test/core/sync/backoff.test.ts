import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextAttemptDelay, retryAfterMs } from '../../../electron/core/sync/backoff';

const clock = { nowUtc: () => new Date('2026-11-26T08:00:00Z') };
const policy = { baseMs: 1000, capMs: 60_000, clock };

describe('nextAttemptDelay', () => {
  it('grows exponentially up to the cap, with full jitter below the ceiling', () => {
    const top = () => 0.999999;
    expect(nextAttemptDelay(1, { ...policy, random: top })).toBe(999);
    expect(nextAttemptDelay(2, { ...policy, random: top })).toBe(1999);
    expect(nextAttemptDelay(4, { ...policy, random: top })).toBe(7999);
    expect(nextAttemptDelay(30, { ...policy, random: top })).toBe(59_999);
    expect(nextAttemptDelay(10_000, { ...policy, random: top })).toBe(59_999);
    expect(nextAttemptDelay(5, { ...policy, random: () => 0 })).toBe(0);
    expect(nextAttemptDelay(5, { ...policy, random: () => 0.5 })).toBe(8000);
  });

  it('stays within [0, min(cap, base·2^(n-1))) for any attempt and random source', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 200 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, r) => {
        const delay = nextAttemptDelay(attempt, { ...policy, random: () => r });
        const ceiling = Math.min(60_000, 1000 * 2 ** (Math.max(attempt, 1) - 1));
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
        expect(Number.isInteger(delay)).toBe(true);
      }),
    );
  });

  it('never retries sooner than Retry-After in seconds or as an HTTP-date', () => {
    expect(nextAttemptDelay(1, { ...policy, random: () => 0, retryAfter: '120' })).toBe(120_000);
    expect(nextAttemptDelay(1, { ...policy, random: () => 0, retryAfter: 'Thu, 26 Nov 2026 08:05:00 GMT' })).toBe(300_000);
    // A later backoff that is already longer wins.
    expect(nextAttemptDelay(10, { ...policy, random: () => 0.999999, retryAfter: '1' })).toBe(59_999);
  });

  it('ignores unreadable Retry-After values and bounds absurd ones', () => {
    expect(nextAttemptDelay(1, { ...policy, random: () => 0, retryAfter: 'soon' })).toBe(0);
    expect(nextAttemptDelay(1, { ...policy, random: () => 0, retryAfter: '-5' })).toBe(0);
    expect(nextAttemptDelay(1, { ...policy, random: () => 0, retryAfter: '1.5' })).toBe(0);
    expect(nextAttemptDelay(1, { ...policy, random: () => 0, retryAfter: '99999999999' })).toBe(24 * 3600 * 1000);
    expect(nextAttemptDelay(1, { ...policy, random: () => 0, retryAfter: '99999999999', maxRetryAfterMs: 3_600_000 })).toBe(3_600_000);
  });

  it('reads a Retry-After date in the past as "now"', () => {
    expect(retryAfterMs('Wed, 25 Nov 2026 08:00:00 GMT', clock)).toBe(0);
    expect(retryAfterMs(undefined, clock)).toBeUndefined();
    expect(retryAfterMs(' 7 ', clock)).toBe(7000);
  });
});
