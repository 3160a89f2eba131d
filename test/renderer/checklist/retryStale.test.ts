import { describe, expect, it } from 'vitest';
import { retryOnceIfStale } from '../../../renderer/components/retryStale';

const STALE = { code: 'JOURNAL_POSITION_STALE', message: 'The run moved on' };

/** An action that answers the given outcomes in turn, counting its calls. */
function actions(...outcomes: ({ code: string; message: string } | undefined)[]) {
  let calls = 0;
  return {
    act: () => Promise.resolve(outcomes[calls++]),
    calls: () => calls,
  };
}

describe('attaching a finished upload when the run moved on meanwhile', () => {
  it('attaches it at the new position with one more try, without a second upload', async () => {
    const add = actions(STALE, undefined);
    expect(await retryOnceIfStale(add.act)).toBeUndefined();
    expect(add.calls()).toBe(2);
  });

  it('tries once only: a run that keeps moving shows the stale notice', async () => {
    const add = actions(STALE, STALE, undefined);
    expect(await retryOnceIfStale(add.act)).toEqual(STALE);
    expect(add.calls()).toBe(2);
  });

  it('does not retry a success or another refusal', async () => {
    const ok = actions(undefined);
    expect(await retryOnceIfStale(ok.act)).toBeUndefined();
    expect(ok.calls()).toBe(1);
    const refused = actions({ code: 'ATTACHMENT_TOO_LARGE', message: 'too large' }, undefined);
    expect(await retryOnceIfStale(refused.act)).toEqual({ code: 'ATTACHMENT_TOO_LARGE', message: 'too large' });
    expect(refused.calls()).toBe(1);
  });
});
