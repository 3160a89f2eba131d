import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import { ROW_BYTES, openStore, type Store } from '../../../electron/core/store';
import { AppError } from '../../../shared/errors';
import { seedRun } from './seed';
import { tempDir, tempStore } from './support';

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
const rowCount = (store: Store, stream: string): number =>
  (store.db.prepare('SELECT count(*) AS n FROM output_chunks WHERE stream = ?').get(stream) as { n: number }).n;

function patterned(length: number, seed: number): Buffer {
  const data = Buffer.alloc(length);
  for (let i = 0; i < length; i += 1) data[i] = (i * 31 + seed * 7) & 0xff;
  return data;
}

function refusal(work: () => unknown): AppError {
  try {
    work();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('command output', () => {
  test('whatever the chunking, reads by range return the bytes written and close returns length and SHA-256', () => {
    const store = tempStore();
    const runId = seedRun(store);
    let n = 0;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 150_000 }), { maxLength: 12 }),
        fc.array(fc.tuple(fc.nat({ max: 1_200_000 }), fc.nat({ max: 300_000 })), { maxLength: 8 }),
        (sizes, ranges) => {
          const stream = `step:prop-${(n += 1)}#h:stdout`;
          const writer = store.output.openWriter(runId, stream);
          const chunks = sizes.map((size, i) => patterned(size, i));
          for (const chunk of chunks) writer.write(chunk);
          const all = Buffer.concat(chunks);
          expect(writer.close()).toEqual({ length: all.length, sha256: sha256(all), chunks: Math.ceil(all.length / ROW_BYTES) });
          for (const [offset, length] of ranges) {
            expect(store.output.read(runId, stream, { offset, length }).equals(all.subarray(offset, offset + length))).toBe(true);
          }
          expect(store.output.verify(runId, stream)).toEqual({ ok: true, length: all.length, sha256: sha256(all), chunks: Math.ceil(all.length / ROW_BYTES) });
        },
      ),
      { numRuns: 40 },
    );
  });

  test('rows are cut just under 64 KiB and a range read touches only the rows it needs', () => {
    const store = tempStore();
    const runId = seedRun(store);
    const writer = store.output.openWriter(runId, 'big');
    writer.write(patterned(5 * 1024 * 1024 + 17, 1));
    writer.close();
    const sizes = store.db.prepare<[], { size: number }>("SELECT size FROM output_chunks WHERE stream = 'big' ORDER BY idx").all();
    expect(Math.max(...sizes.map((r) => r.size))).toBe(ROW_BYTES);
    expect(sizes.at(-1)?.size).toBe((5 * 1024 * 1024 + 17) % ROW_BYTES);
    const plan = store.db
      .prepare<[], { detail: string }>("EXPLAIN QUERY PLAN SELECT data FROM output_chunks WHERE run_id = 'r' AND stream = 'big' AND byte_offset > 1 AND byte_offset < 9")
      .all()
      .map((r) => r.detail)
      .join(' ');
    expect(plan).toMatch(/USING INDEX .*byte_offset>\? AND byte_offset<\?/);
  });

  test('a row, stream name of 200 characters included, fits one page: no overflow pages, no wasted file', () => {
    const store = tempStore();
    const runId = seedRun(store);
    const stream = `step:${'s'.repeat(180)}#h:stdout`.slice(0, 200);
    const writer = store.output.openWriter(runId, stream);
    const bytes = patterned(8 * 1024 * 1024, 3);
    writer.write(bytes);
    writer.close();
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const pages = (type: string): number =>
      store.db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM dbstat WHERE name = 'output_chunks' AND pagetype = ?").get(type)!.n;
    expect(pages('overflow')).toBe(0);
    expect(pages('leaf')).toBe(Math.ceil(bytes.length / ROW_BYTES));
    // 64 KiB rows spilled 57 KiB onto an overflow page each: a file 12 % bigger than its output.
    const tableBytes = store.db.prepare<[], { n: number }>("SELECT sum(pgsize) AS n FROM dbstat WHERE name = 'output_chunks'").get()!.n;
    expect(tableBytes).toBeLessThan(bytes.length * 1.03);
  });

  test('small writes wait in memory at most ~100 ms, then are committed together', async () => {
    const store = tempStore();
    const runId = seedRun(store);
    const writer = store.output.openWriter(runId, 'trickle');
    for (let i = 0; i < 50; i += 1) writer.write(Buffer.from(`line ${i}\n`));
    expect(rowCount(store, 'trickle')).toBe(0);
    await sleep(250);
    expect(rowCount(store, 'trickle')).toBe(1);
    expect(store.output.read(runId, 'trickle', { offset: 0, length: 14 }).toString()).toBe('line 0\nline 1\n');
    writer.close();
  });

  test('pending bytes are committed once the byte threshold is reached', () => {
    const store = tempStore();
    const runId = seedRun(store);
    const writer = store.output.openWriter(runId, 'burst', { flushBytes: 1024 * 1024, flushIntervalMs: 60_000 });
    for (let i = 0; i < 15; i += 1) writer.write(patterned(64 * 1024, i));
    expect(rowCount(store, 'burst')).toBe(0);
    writer.write(patterned(64 * 1024, 15));
    expect(rowCount(store, 'burst')).toBe(Math.ceil((1024 * 1024) / ROW_BYTES));
    writer.close();
  });

  test('a stream reopened after a restart continues where it was, and its hash covers all of it', () => {
    const dataDir = `${tempDir()}/data`;
    let store = openStore({ dataDir });
    const runId = seedRun(store);
    const first = patterned(100_000, 1);
    const writer = store.output.openWriter(runId, 'resumed');
    writer.write(first);
    writer.flush();
    store.close();
    store = openStore({ dataDir });
    try {
      const again = store.output.openWriter(runId, 'resumed');
      expect(again.length).toBe(100_000);
      const second = patterned(30_000, 2);
      again.write(second);
      expect(again.close()).toMatchObject({ length: 130_000, sha256: sha256(Buffer.concat([first, second])) });
      expect(store.output.streams(runId)).toEqual([{ stream: 'resumed', length: 130_000, chunks: 3 }]);
    } finally {
      store.close();
    }
  });

  test('closing the store commits what writers still hold', () => {
    const dataDir = `${tempDir()}/data`;
    const store = openStore({ dataDir });
    const runId = seedRun(store);
    store.output.openWriter(runId, 'left-open', { flushIntervalMs: 60_000 }).write(Buffer.from('last words'));
    store.close();
    const reopened = openStore({ dataDir });
    try {
      expect(reopened.output.read(runId, 'left-open', { offset: 0, length: 100 }).toString()).toBe('last words');
    } finally {
      reopened.close();
    }
  });

  test('an altered chunk is found by verify', () => {
    const store = tempStore();
    const runId = seedRun(store);
    const writer = store.output.openWriter(runId, 'tampered');
    writer.write(patterned(200_000, 3));
    writer.close();
    store.db.exec('DROP TRIGGER output_chunks_no_update');
    store.db.prepare("UPDATE output_chunks SET data = zeroblob(size) WHERE stream = 'tampered' AND idx = 2").run();
    expect(store.output.verify(runId, 'tampered')).toMatchObject({ ok: false, brokenAtIdx: 2 });
  });

  test('misuse is refused: unknown run, two writers on one stream, a closed writer, bad ranges', () => {
    const store = tempStore();
    const runId = seedRun(store);
    expect(refusal(() => store.output.openWriter('no-such-run', 's')).code).toBe('RUN_NOT_FOUND');
    const writer = store.output.openWriter(runId, 's');
    expect(refusal(() => store.output.openWriter(runId, 's')).code).toBe('INTERNAL');
    writer.close();
    expect(refusal(() => writer.write(Buffer.from('late'))).code).toBe('INTERNAL');
    expect(refusal(() => store.output.read(runId, 's', { offset: -1, length: 1 })).code).toBe('INPUT_INVALID');
    expect(refusal(() => store.output.read(runId, 's', { offset: 0, length: 17 * 1024 * 1024 })).code).toBe('INPUT_INVALID');
    expect(store.output.read(runId, 'never-written', { offset: 0, length: 10 }).length).toBe(0);
  });
});
