import type Database from 'better-sqlite3';
import { createHash, type Hash } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import type { QueryTimer } from './queryTiming';
import { guarded } from './storeErrors';

/** Rows are bounded so that no read or write ever has to hold a whole stream: no row holds more. */
export const MAX_CHUNK_BYTES = 64 * 1024;
/**
 * Where a writer cuts rows: 512 bytes under 64 KiB, so a row with its other columns (a stream name
 * of up to 200 characters included) fits one 64 KiB page (SQLite keeps up to 65,501 bytes of a row
 * on its page). A row of exactly 64 KiB would spill 57 KiB onto an overflow page and waste 12 % of
 * the file. Rows written with 64 KiB cuts (older data folders) are read as before.
 */
export const ROW_BYTES = MAX_CHUNK_BYTES - 512;
/**
 * Grouped commits: what may be lost on a crash is at most this much time or this many bytes. Under
 * sustained output the time bound mostly decides; 8 MiB rather than 4 halves the commits (WAL
 * write, fsync, checkpoint) of a fast stream while keeping peak memory near what 4 MiB used.
 */
export const FLUSH_INTERVAL_MS = 100;
export const FLUSH_BYTES = 8 * 1024 * 1024;
export const MAX_READ_BYTES = 16 * 1024 * 1024;

export interface OutputDigest {
  readonly length: number;
  readonly sha256: string;
  readonly chunks: number;
}

export interface OutputWriter {
  readonly runId: string;
  readonly stream: string;
  /** Bytes accepted so far, committed or not. */
  readonly length: number;
  /**
   * Accepts a chunk; commits pending bytes when ~100 ms have passed or ~8 MiB are waiting. If that
   * commit fails (STORE_FULL…) the chunk is NOT accepted and the error is thrown; bytes accepted
   * earlier stay pending for the next flush.
   */
  write(chunk: Uint8Array): void;
  flush(): void;
  /** Flushes and returns the stream's total length and SHA-256, for the step's end event. */
  close(): OutputDigest;
}

export interface OutputWriterOptions {
  readonly flushIntervalMs?: number;
  readonly flushBytes?: number;
  /** A flush started by the interval timer failed; the bytes stay pending and the next call retries. */
  readonly onBackgroundError?: (error: unknown) => void;
}

export interface OutputStreamInfo {
  readonly stream: string;
  readonly length: number;
  readonly chunks: number;
}

export type OutputVerdict = ({ readonly ok: true } & OutputDigest) | { readonly ok: false; readonly brokenAtIdx: number; readonly reason: string };

export interface OutputStore {
  openWriter(runId: string, stream: string, options?: OutputWriterOptions): OutputWriter;
  read(runId: string, stream: string, range: { readonly offset: number; readonly length: number }): Buffer;
  streams(runId: string): OutputStreamInfo[];
  /**
   * Re-reads a stream, checking every chunk's digest and that chunks follow without gaps. A chunk's
   * `sha256` is the SHA-256 of the stream from byte 0 through the end of that chunk (a prefix
   * digest), so one pass of hashing serves both the chunk check and the stream's digest; rows written
   * before prefix digests (the SHA-256 of the chunk alone) are accepted too.
   */
  verify(runId: string, stream: string): OutputVerdict;
  /** Flushes and closes every open writer (the store is closing). */
  closeAll(): void;
}

interface ChunkRow {
  idx: number;
  byte_offset: number;
  size: number;
  data: Buffer;
  sha256: string;
}

const sha256Hex = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
/** The digest of everything hashed so far, leaving the running hash usable (copying its state is cheap). */
const prefixDigest = (running: Hash): string => running.copy().digest('hex');

export function createOutputStore(db: Database.Database, timer: QueryTimer): OutputStore {
  const runExists = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM runs WHERE id = ?');
  const insertChunk = db.prepare<[string, string, number, number, number, Buffer, string]>(
    'INSERT INTO output_chunks (run_id, stream, idx, byte_offset, size, data, sha256) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const chunksOf = db.prepare<[string, string], ChunkRow>('SELECT idx, byte_offset, size, data, sha256 FROM output_chunks WHERE run_id = ? AND stream = ? ORDER BY idx');
  const chunksInRange = db.prepare<[string, string, number, number], ChunkRow>(
    'SELECT idx, byte_offset, size, data, sha256 FROM output_chunks WHERE run_id = ? AND stream = ? AND byte_offset > ? AND byte_offset < ? ORDER BY byte_offset',
  );
  const streamList = db.prepare<[string], OutputStreamInfo>(
    'SELECT stream, max(byte_offset + size) AS length, count(*) AS chunks FROM output_chunks WHERE run_id = ? GROUP BY stream ORDER BY min(rowid)',
  );
  const insertRows = db.transaction((runId: string, stream: string, rows: readonly (readonly [number, number, Buffer, string])[]) => {
    for (const [idx, offset, data, sha] of rows) insertChunk.run(runId, stream, idx, offset, data.length, data, sha);
  });

  const open = new Map<string, WriterImpl>();
  const keyOf = (runId: string, stream: string): string => JSON.stringify([runId, stream]);

  // A stream is continued, not restarted, when reopened (the runner reattaches after a crash):
  // the running hash is rebuilt from what is already stored.
  const existingState = (runId: string, stream: string): { length: number; chunks: number; hash: Hash } => {
    const hash = createHash('sha256');
    let length = 0;
    let chunks = 0;
    for (const row of chunksOf.iterate(runId, stream)) {
      hash.update(row.data);
      length += row.size;
      chunks += 1;
    }
    return { length, chunks, hash };
  };

  class WriterImpl implements OutputWriter {
    // Accepted bytes are copied straight into row-sized buffers (one copy, no concatenation at
    // commit): `full` rows, then `current` filled up to `fill`.
    private full: Buffer[] = [];
    private current: Buffer = Buffer.allocUnsafe(ROW_BYTES);
    private fill = 0;
    private firstPendingAt = 0;
    private timerHandle: NodeJS.Timeout | undefined;
    private closed = false;
    private committedLength: number;
    private committedChunks: number;
    private hash: Hash;
    private readonly flushIntervalMs: number;
    private readonly flushBytes: number;

    constructor(
      readonly runId: string,
      readonly stream: string,
      private readonly options: OutputWriterOptions,
    ) {
      const state = existingState(runId, stream);
      this.committedLength = state.length;
      this.committedChunks = state.chunks;
      this.hash = state.hash;
      this.flushIntervalMs = options.flushIntervalMs ?? FLUSH_INTERVAL_MS;
      this.flushBytes = options.flushBytes ?? FLUSH_BYTES;
    }

    get length(): number {
      return this.committedLength + this.pendingBytes;
    }

    private get pendingBytes(): number {
      return this.full.length * ROW_BYTES + this.fill;
    }

    write(chunk: Uint8Array): void {
      this.assertOpen();
      if (chunk.length === 0) return;
      if (this.pendingBytes === 0) this.firstPendingAt = performance.now();
      // What to go back to if the commit below fails: bytes copied past `fill` are then ignored.
      const before = { rows: this.full.length, current: this.current, fill: this.fill };
      // Copied: the caller (a stream) may reuse its buffer once write returns.
      for (let from = 0; from < chunk.length; ) {
        const n = Math.min(ROW_BYTES - this.fill, chunk.length - from);
        this.current.set(chunk.subarray(from, from + n), this.fill);
        this.fill += n;
        from += n;
        if (this.fill === ROW_BYTES) {
          this.full.push(this.current);
          this.current = Buffer.allocUnsafe(ROW_BYTES);
          this.fill = 0;
        }
      }
      if (this.pendingBytes >= this.flushBytes || performance.now() - this.firstPendingAt >= this.flushIntervalMs) {
        try {
          this.commitPending();
        } catch (error) {
          this.full.length = before.rows;
          this.current = before.current;
          this.fill = before.fill;
          throw error;
        }
      } else {
        this.armTimer();
      }
    }

    flush(): void {
      this.assertOpen();
      this.commitPending();
    }

    close(): OutputDigest {
      this.assertOpen();
      this.commitPending();
      this.closed = true;
      open.delete(keyOf(this.runId, this.stream));
      return { length: this.committedLength, sha256: this.hash.digest('hex'), chunks: this.committedChunks };
    }

    /** Drops what is pending (never acknowledged) and closes: the store is going away regardless. */
    abandon(): void {
      this.disarmTimer();
      this.full = [];
      this.fill = 0;
      this.closed = true;
      open.delete(keyOf(this.runId, this.stream));
    }

    private commitPending(): void {
      this.disarmTimer();
      if (this.pendingBytes === 0) return;
      const pieces = this.fill === 0 ? this.full : [...this.full, this.current.subarray(0, this.fill)];
      // Each byte is hashed once, into a copy of the running hash: the copy becomes the running hash
      // only once the commit succeeded, so a failed commit can be retried as is.
      const hash = this.hash.copy();
      const rows: (readonly [number, number, Buffer, string])[] = [];
      let offset = this.committedLength;
      for (const piece of pieces) {
        hash.update(piece);
        rows.push([this.committedChunks + rows.length, offset, piece, prefixDigest(hash)]);
        offset += piece.length;
      }
      guarded('output.write', () => timer.measure('output.flush', () => insertRows.immediate(this.runId, this.stream, rows)));
      this.hash = hash;
      this.committedLength = offset;
      this.committedChunks += rows.length;
      // The rows were copied by SQLite when bound; the partly filled buffer starts afresh.
      this.full = [];
      if (this.fill > 0) this.current = Buffer.allocUnsafe(ROW_BYTES);
      this.fill = 0;
    }

    private armTimer(): void {
      if (this.timerHandle !== undefined) return;
      const delay = Math.max(0, this.flushIntervalMs - (performance.now() - this.firstPendingAt));
      this.timerHandle = setTimeout(() => {
        this.timerHandle = undefined;
        if (this.closed) return;
        try {
          this.commitPending();
        } catch (error) {
          this.options.onBackgroundError?.(error);
        }
      }, delay);
      this.timerHandle.unref();
    }

    private disarmTimer(): void {
      if (this.timerHandle === undefined) return;
      clearTimeout(this.timerHandle);
      this.timerHandle = undefined;
    }

    private assertOpen(): void {
      if (this.closed) throw new AppError('INTERNAL', `The output writer for ${this.stream} was already closed. This is a bug in Fieldrun; please report it.`);
    }
  }

  return {
    openWriter(runId, stream, options = {}) {
      return guarded('output.openWriter', () => {
        if (runExists.get(runId) === undefined) {
          throw new AppError('RUN_NOT_FOUND', `There is no run ${runId} in this data folder. Pick the run again from the list of runs.`, { runId });
        }
        if (stream.length === 0 || stream.length > 200) throw new AppError('INPUT_INVALID', 'An output stream name must be 1 to 200 characters long.');
        const key = keyOf(runId, stream);
        if (open.has(key)) {
          throw new AppError('INTERNAL', `Output stream ${stream} already has an open writer. This is a bug in Fieldrun; please report it.`, { runId, stream });
        }
        const writer = new WriterImpl(runId, stream, options);
        open.set(key, writer);
        return writer;
      });
    },
    read(runId, stream, { offset, length }) {
      if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0 || length > MAX_READ_BYTES) {
        throw new AppError('INPUT_INVALID', `An output range needs a whole offset ≥ 0 and a length from 0 to ${MAX_READ_BYTES} bytes.`);
      }
      if (length === 0) return Buffer.alloc(0);
      const rows = guarded('output.read', () =>
        timer.measure('output.read', () => chunksInRange.all(runId, stream, offset - MAX_CHUNK_BYTES, offset + length)),
      );
      const parts = rows.map((row) => {
        const from = Math.max(0, offset - row.byte_offset);
        const to = Math.min(row.size, offset + length - row.byte_offset);
        return row.data.subarray(from, to);
      });
      return Buffer.concat(parts);
    },
    streams(runId) {
      return guarded('output.streams', () => timer.measure('output.streams', () => streamList.all(runId)));
    },
    verify(runId, stream) {
      return guarded('output.verify', () =>
        timer.measure('output.verify', () => {
          const hash = createHash('sha256');
          let length = 0;
          let chunks = 0;
          for (const row of chunksOf.iterate(runId, stream)) {
            if (row.idx === chunks && row.byte_offset === length) hash.update(row.data);
            const problem =
              row.idx !== chunks
                ? `chunk ${chunks} is missing`
                : row.byte_offset !== length
                  ? `chunk ${row.idx} starts at byte ${row.byte_offset}, not ${length}`
                  : prefixDigest(hash) !== row.sha256 && sha256Hex(row.data) !== row.sha256
                    ? `chunk ${row.idx} was altered: its bytes do not match its hash`
                    : undefined;
            if (problem !== undefined) return { ok: false as const, brokenAtIdx: chunks, reason: problem };
            length += row.size;
            chunks += 1;
          }
          return { ok: true as const, length, sha256: hash.digest('hex'), chunks };
        }),
      );
    },
    closeAll() {
      // Every writer gets its chance to commit even if one fails; the first failure is reported.
      const failures: unknown[] = [];
      for (const writer of [...open.values()]) {
        try {
          writer.close();
        } catch (error) {
          failures.push(error);
          writer.abandon();
        }
      }
      if (failures.length > 0) throw failures[0];
    },
  };
}
