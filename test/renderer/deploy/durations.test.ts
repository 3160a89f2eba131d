import { describe, expect, it } from 'vitest';
import { durationOf } from '../../../renderer/screens/deploy/durations';

const START = '2026-03-14T22:10:00.000Z';

describe('durations of step attempts and baseline checks', () => {
  it('a finished one took end − start, whatever the clock says now', () => {
    expect(durationOf(START, '2026-03-14T22:11:05.500Z', false, 0)).toEqual({ ms: 65_500, live: false });
    expect(durationOf(START, '2026-03-14T22:11:05.500Z', true, Date.parse(START) + 999_999)).toEqual({ ms: 65_500, live: false });
  });

  it('a running or waiting one shows the time elapsed since it started, and grows', () => {
    const start = Date.parse(START);
    expect(durationOf(START, undefined, true, start + 3_000)).toEqual({ ms: 3_000, live: true });
    expect(durationOf(START, undefined, true, start + 4_000)).toEqual({ ms: 4_000, live: true });
  });

  it('shows nothing it cannot know: never started, stopped without an end (skipped), or unreadable times', () => {
    expect(durationOf(undefined, undefined, true, 0)).toBeUndefined();
    expect(durationOf(START, undefined, false, Date.parse(START) + 10)).toBeUndefined();
    expect(durationOf('not a time', undefined, true, 0)).toBeUndefined();
    expect(durationOf(START, 'garbage', false, 0)).toBeUndefined();
  });

  it('a laptop clock set back meanwhile gives zero, not a negative duration', () => {
    expect(durationOf(START, '2026-03-14T22:09:00.000Z', false, 0)).toEqual({ ms: 0, live: false });
    expect(durationOf(START, undefined, true, Date.parse(START) - 5_000)).toEqual({ ms: 0, live: true });
  });
});
