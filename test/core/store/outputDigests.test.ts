import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { MAX_CHUNK_BYTES, openStore } from '../../../electron/core/store';
import { AppError } from '../../../shared/errors';
import { seedRun } from './seed';
import { tempDir, tempStore } from './support';

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

function patterned(length: number, seed: number): Buffer {
  const data = Buffer.alloc(length);
  for (let i = 0; i < length; i += 1) data[i] = (i * 13 + seed * 5) & 0xff;
  return data;
}

interface StoredRow {
  idx: number;
  byte_offset: number;
  size: number;
  sha256: string;
}

describe('output digests: every byte hashed once', () => {
  test("each row's digest covers the stream from its start to the row's end, across commits", () => {
    const store = tempStore();
    const runId = seedRun(store);
    // Odd sizes and a small threshold: rows end mid-write and commits end mid-row.
    const writer = store.output.openWriter(runId, 'prefix', { flushBytes: 150_000, flushIntervalMs: 60_000 });
    const parts = [70_000, 1, 131_071, 65_536, 99_999, 3].map((size, i) => patterned(size, i));
    for (const part of parts) writer.write(part);
    const all = Buffer.concat(parts);
    expect(writer.close()).toEqual({ length: all.length, sha256: sha256(all), chunks: expect.any(Number) });
    const rows = store.db.prepare<[], StoredRow>("SELECT idx, byte_offset, size, sha256 FROM output_chunks WHERE stream = 'prefix' ORDER BY idx").all();
    expect(rows.length).toBeGreaterThan(all.length / MAX_CHUNK_BYTES);
    for (const row of rows) expect(row.sha256).toBe(sha256(all.subarray(0, row.byte_offset + row.size)));
    expect(store.output.verify(runId, 'prefix')).toEqual({ ok: true, length: all.length, sha256: sha256(all), chunks: rows.length });
  });

  test('rows stored with a digest of the chunk alone (before prefix digests) still verify, and are continued', () => {
    const dataDir = `${tempDir()}/data`;
    let store = openStore({ dataDir });
    const runId = seedRun(store);
    const legacy = [patterned(MAX_CHUNK_BYTES, 1), patterned(1000, 2)];
    const insert = store.db.prepare('INSERT INTO output_chunks (run_id, stream, idx, byte_offset, size, data, sha256) VALUES (?, ?, ?, ?, ?, ?, ?)');
    insert.run(runId, 'old', 0, 0, legacy[0]!.length, legacy[0]!, sha256(legacy[0]!));
    insert.run(runId, 'old', 1, legacy[0]!.length, legacy[1]!.length, legacy[1]!, sha256(legacy[1]!));
    const before = Buffer.concat(legacy);
    expect(store.output.verify(runId, 'old')).toEqual({ ok: true, length: before.length, sha256: sha256(before), chunks: 2 });
    store.close();
    store = openStore({ dataDir });
    try {
      const writer = store.output.openWriter(runId, 'old');
      const more = patterned(200_000, 3);
      writer.write(more);
      const all = Buffer.concat([before, more]);
      expect(writer.close()).toMatchObject({ length: all.length, sha256: sha256(all) });
      expect(store.output.verify(runId, 'old')).toMatchObject({ ok: true, length: all.length, sha256: sha256(all) });
      store.db.exec('DROP TRIGGER output_chunks_no_update');
      store.db.prepare("UPDATE output_chunks SET data = zeroblob(size) WHERE stream = 'old' AND idx = 1").run();
      expect(store.output.verify(runId, 'old')).toMatchObject({ ok: false, brokenAtIdx: 1 });
    } finally {
      store.close();
    }
  });

  test('a write refused by a full disk leaves no trace, even one ending mid-row; the rest is stored once space is back', () => {
    const store = tempStore();
    const runId = seedRun(store);
    const pages = Number(store.db.pragma('page_count', { simple: true }));
    const pageSize = Number(store.db.pragma('page_size', { simple: true }));
    store.db.pragma(`max_page_count = ${pages + Math.ceil((1200 * 1024) / pageSize)}`);
    const writer = store.output.openWriter(runId, 'odd', { flushBytes: 200_000, flushIntervalMs: 60_000 });
    const accepted: Buffer[] = [];
    let refusal: unknown;
    for (let i = 0; i < 1000 && refusal === undefined; i += 1) {
      const part = patterned(77_777 + i, i);
      try {
        writer.write(part);
        accepted.push(part);
      } catch (error) {
        refusal = error;
      }
    }
    expect(refusal).toBeInstanceOf(AppError);
    expect((refusal as AppError).code).toBe('STORE_FULL');
    const acceptedBytes = Buffer.concat(accepted);
    expect(writer.length).toBe(acceptedBytes.length);
    expect(store.output.verify(runId, 'odd')).toMatchObject({ ok: true });

    store.db.pragma('max_page_count = 4294967294');
    const tail = patterned(5, 99);
    writer.write(tail);
    const all = Buffer.concat([acceptedBytes, tail]);
    expect(writer.close()).toMatchObject({ length: all.length, sha256: sha256(all) });
    expect(store.output.verify(runId, 'odd')).toMatchObject({ ok: true, length: all.length, sha256: sha256(all) });
    expect(store.output.read(runId, 'odd', { offset: 0, length: all.length }).equals(all)).toBe(true);
  });
});
