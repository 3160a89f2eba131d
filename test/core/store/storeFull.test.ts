import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { openStore, type Store } from '../../../electron/core/store';
import { AppError } from '../../../shared/errors';
import { seedRun } from './seed';
import { tempDir, tempStore } from './support';

// A full disk, simulated: SQLite answers SQLITE_FULL once the database would grow by more than this.
function capDatabase(store: Store, extraBytes: number): () => void {
  const pages = Number(store.db.pragma('page_count', { simple: true }));
  const pageSize = Number(store.db.pragma('page_size', { simple: true }));
  store.db.pragma(`max_page_count = ${pages + Math.ceil(extraBytes / pageSize)}`);
  return () => store.db.pragma('max_page_count = 4294967294');
}

function untilFull(work: (attempt: number) => void): AppError {
  for (let attempt = 0; attempt < 10_000; attempt += 1) {
    try {
      work(attempt);
    } catch (error) {
      if (error instanceof AppError) return error;
      throw error;
    }
  }
  throw new Error('the database never filled up');
}

describe('a full disk', () => {
  test('a journal append that does not fit is STORE_FULL and leaves the journal as it was', () => {
    const store = tempStore();
    const runId = seedRun(store);
    const freeSpace = capDatabase(store, 800 * 1024);
    let headBefore = store.journal.head(runId);
    const error = untilFull((i) => {
      headBefore = store.journal.head(runId);
      store.journal.append(runId, { type: 'test.bulky', payload: { i, text: 'x'.repeat(100_000) } }, { expectSeq: headBefore.seq });
    });
    expect(error.code).toBe('STORE_FULL');
    expect(error.message).toMatch(/Free some disk space/);
    expect(store.journal.head(runId)).toEqual(headBefore);
    expect(store.journal.verifyChain(runId)).toEqual({ ok: true, head: headBefore });
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');

    // A batch that does not fit writes none of its events.
    expect(() => store.journal.appendMany(runId, [{ type: 'test.small', payload: 1 }, { type: 'test.bulky', payload: 'y'.repeat(900_000) }])).toThrow(
      expect.objectContaining({ code: 'STORE_FULL' }),
    );
    expect(store.journal.head(runId)).toEqual(headBefore);

    freeSpace();
    const next = store.journal.append(runId, { type: 'test.after', payload: 'space again' }, { expectSeq: headBefore.seq });
    expect(next.prevHash).toBe(headBefore.hash);
    expect(store.journal.verifyChain(runId)).toMatchObject({ ok: true, head: { seq: headBefore.seq + 1 } });
  });

  test('output that does not fit is refused chunk by chunk; what was accepted is committed once space is back', () => {
    const store = tempStore();
    const runId = seedRun(store);
    const freeSpace = capDatabase(store, 1200 * 1024);
    const writer = store.output.openWriter(runId, 'step:fill#h:stdout', { flushBytes: 256 * 1024 });
    const accepted: Buffer[] = [];
    const error = untilFull((i) => {
      const chunk = Buffer.alloc(64 * 1024, i % 256);
      writer.write(chunk);
      accepted.push(chunk);
    });
    expect(error.code).toBe('STORE_FULL');
    const acceptedBytes = Buffer.concat(accepted);
    expect(writer.length).toBe(acceptedBytes.length);
    const stored = store.output.verify(runId, 'step:fill#h:stdout');
    expect(stored).toMatchObject({ ok: true });
    expect(acceptedBytes.subarray(0, stored.ok ? stored.length : 0).equals(store.output.read(runId, 'step:fill#h:stdout', { offset: 0, length: stored.ok ? stored.length : 0 }))).toBe(true);

    freeSpace();
    expect(writer.close()).toMatchObject({ length: acceptedBytes.length, sha256: createHash('sha256').update(acceptedBytes).digest('hex') });
    expect(store.output.verify(runId, 'step:fill#h:stdout')).toMatchObject({ ok: true, length: acceptedBytes.length });
  });

  test('a plan that does not fit is not half-imported', () => {
    const store = tempStore();
    capDatabase(store, 200 * 1024);
    expect(() =>
      store.plans.insert({
        bytes: Buffer.alloc(1024 * 1024, 1),
        planId: 'huge',
        version: '1',
        title: 'Huge',
        parsed: {},
        source: {},
        signature: { status: 'unsigned', details: null },
        artifacts: [{ id: 'a', path: 'a.bin', sha256: 'e'.repeat(64), size: 1 }],
      }),
    ).toThrow(expect.objectContaining({ code: 'STORE_FULL' }));
    expect(store.plans.list()).toEqual([]);
    expect(store.db.prepare('SELECT count(*) AS n FROM plan_artifacts').get()).toEqual({ n: 0 });
  });

  test('closing the store on a full disk says so, and still releases the data folder', () => {
    const dataDir = `${tempDir()}/data`;
    const store = openStore({ dataDir });
    const runId = seedRun(store);
    store.output.openWriter(runId, 'pending', { flushIntervalMs: 60_000 }).write(Buffer.alloc(1024 * 1024, 7));
    capDatabase(store, 0);
    expect(() => store.close()).toThrow(expect.objectContaining({ code: 'STORE_FULL' }));
    const reopened = openStore({ dataDir });
    try {
      expect(reopened.output.streams(runId)).toEqual([]);
      expect(reopened.journal.verifyChain(runId)).toMatchObject({ ok: true });
    } finally {
      reopened.close();
    }
  });
});
