import { describe, expect, test } from 'vitest';
import { GENESIS_HASH, MAX_PAYLOAD_BYTES } from '../../../electron/core/store';
import { AppError } from '../../../shared/errors';
import { seedRun } from './seed';
import { steppingClock, tempStore } from './support';

function refusal(work: () => unknown): AppError {
  try {
    work();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the run journal', () => {
  test('a new run starts with run.created at seq 1, chained to the genesis hash', () => {
    const clock = steppingClock('2026-03-01T08:00:00.000Z');
    const store = tempStore({ clock });
    const runId = seedRun(store);
    const [created] = store.journal.read(runId);
    expect(created).toMatchObject({ runId, seq: 1, type: 'run.created', prevHash: GENESIS_HASH(runId), timeUtc: '2026-03-01T08:00:00.000Z', monoNs: '1000000000' });
    expect(store.journal.head(runId)).toEqual({ seq: 1, hash: created!.hash });
  });

  test('append returns exactly what a later read returns, with time in UTC ms and monotonic ns', () => {
    const clock = steppingClock();
    const store = tempStore({ clock });
    const runId = seedRun(store);
    clock.advance(1234);
    const appended = store.journal.append(runId, { type: 'run.phase', payload: { phase: 'baseline', note: undefined, list: [1, 2.5, 'é'] } });
    expect(appended).toMatchObject({ seq: 2, timeUtc: '2026-03-01T08:00:01.234Z', monoNs: '2234000000', payload: { phase: 'baseline', list: [1, 2.5, 'é'] } });
    expect(appended.payload).not.toHaveProperty('note');
    expect(store.journal.read(runId, { fromSeq: 2 })).toEqual([appended]);
    expect(store.journal.head(runId)).toEqual({ seq: 2, hash: appended.hash });
  });

  test('read pages with fromSeq and limit', () => {
    const store = tempStore();
    const runId = seedRun(store);
    store.journal.appendMany(runId, Array.from({ length: 9 }, (_, i) => ({ type: 'test.n', payload: i })));
    expect(store.journal.read(runId, { fromSeq: 4, limit: 3 }).map((e) => e.seq)).toEqual([4, 5, 6]);
    expect(store.journal.read(runId, { fromSeq: 9 }).map((e) => e.seq)).toEqual([9, 10]);
    expect([...store.journal.events(runId, { fromSeq: 8 })].map((e) => e.seq)).toEqual([8, 9, 10]);
  });

  test('expectSeq: a writer that saw an older head is refused and nothing is written', () => {
    const store = tempStore();
    const runId = seedRun(store);
    const seenByBoth = store.journal.head(runId).seq;
    store.journal.append(runId, { type: 'decision.retry', payload: { by: 'window A' } }, { expectSeq: seenByBoth });
    const error = refusal(() => store.journal.append(runId, { type: 'decision.skip', payload: { by: 'window B' } }, { expectSeq: seenByBoth }));
    expect(error.code).toBe('JOURNAL_POSITION_STALE');
    expect(error.details).toMatchObject({ expectedSeq: 1, headSeq: 2 });
    expect(refusal(() => store.journal.appendMany(runId, [{ type: 'x.y', payload: 1 }], { expectSeq: 1 })).code).toBe('JOURNAL_POSITION_STALE');
    expect(store.journal.head(runId).seq).toBe(2);
    expect(store.journal.read(runId).map((e) => e.type)).toEqual(['run.created', 'decision.retry']);
  });

  test('appendMany writes all events or none', () => {
    const store = tempStore();
    const runId = seedRun(store);
    const circular: Record<string, unknown> = {};
    circular.self = [1n];
    expect(refusal(() => store.journal.appendMany(runId, [{ type: 'ok.one', payload: 1 }, { type: 'bad.two', payload: circular }])).code).toBe('INPUT_INVALID');
    expect(store.journal.head(runId).seq).toBe(1);
    const written = store.journal.appendMany(runId, [
      { type: 'ok.one', payload: 1 },
      { type: 'ok.two', payload: 2 },
    ]);
    expect(written.map((e) => e.seq)).toEqual([2, 3]);
    expect(written[1]!.prevHash).toBe(written[0]!.hash);
  });

  test('bad input is refused: unknown run, bad event type, payload not JSON or too large', () => {
    const store = tempStore();
    const runId = seedRun(store);
    expect(refusal(() => store.journal.append('no-such-run', { type: 'x.y', payload: 1 })).code).toBe('RUN_NOT_FOUND');
    expect(refusal(() => store.journal.head('no-such-run')).code).toBe('RUN_NOT_FOUND');
    expect(refusal(() => store.journal.read('no-such-run')).code).toBe('RUN_NOT_FOUND');
    for (const type of ['', 'Has Space', '1starts.with.digit', 'x'.repeat(101)]) {
      expect(refusal(() => store.journal.append(runId, { type, payload: null })).code).toBe('INPUT_INVALID');
    }
    expect(refusal(() => store.journal.append(runId, { type: 'x.y', payload: undefined })).code).toBe('INPUT_INVALID');
    expect(refusal(() => store.journal.append(runId, { type: 'x.y', payload: Number.NaN })).code).toBe('INPUT_INVALID');
    expect(refusal(() => store.journal.append(runId, { type: 'x.y', payload: 'z'.repeat(MAX_PAYLOAD_BYTES) })).code).toBe('INPUT_INVALID');
    expect(store.journal.head(runId).seq).toBe(1);
  });

  test('events cannot be changed or removed through SQL', () => {
    const store = tempStore();
    const runId = seedRun(store);
    expect(() => store.db.prepare("UPDATE journal SET payload = '{}'").run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM journal').run()).toThrow(/append-only/);
    expect(store.journal.verifyChain(runId)).toMatchObject({ ok: true });
  });
});
