import { describe, expect, it } from 'vitest';
import { noteFailures, RecentFailures, RECENT_FAILURES_KEPT } from '../../../electron/core/diagnostics';
import type { Dispatch } from '../../../electron/core/api/dispatch';

// The diagnostics file's memory of failures: method and code only, the most recent ones, bounded.

describe('RecentFailures', () => {
  it('keeps the last refusals by method and code, oldest first, and forgets beyond its bound', async () => {
    const failures = new RecentFailures(() => new Date('2026-11-26T10:00:00Z'));
    const inner: Dispatch = (method) =>
      Promise.resolve(
        method === 'runs.get'
          ? { ok: false, error: { code: 'RUN_NOT_FOUND', message: 'There is no run secret-looking-id', details: { runId: 'secret-looking-id' } } }
          : { ok: true, value: {} },
      );
    const dispatch = noteFailures(inner, failures);
    await dispatch('plans.list', {});
    for (let i = 0; i < RECENT_FAILURES_KEPT + 10; i++) await dispatch('runs.get', { runId: `run-${i}` });
    const listed = failures.list();
    expect(listed).toHaveLength(RECENT_FAILURES_KEPT);
    expect(listed[0]).toEqual({ timeUtc: '2026-11-26T10:00:00.000Z', method: 'runs.get', code: 'RUN_NOT_FOUND' });
    expect(JSON.stringify(listed)).not.toMatch(/secret-looking-id|run-\d/);
  });

  it('names an unknown method by a fixed label: its text is untrusted input', async () => {
    const failures = new RecentFailures();
    const dispatch = noteFailures(() => Promise.resolve({ ok: false, error: { code: 'METHOD_UNKNOWN', message: 'no such method' } }), failures);
    await dispatch('password=hunter2', {});
    expect(failures.list().map((f) => `${f.method}: ${f.code}`)).toEqual(['(unknown method): METHOD_UNKNOWN']);
  });
});
