// Where each line of a (possibly huge, still growing) output starts, built incrementally from the
// bytes as they arrive, in order, whatever the chunking. Memory stays small: instead of every
// line's offset it keeps a checkpoint (line number, byte offset, colours in force) at the first
// line start after every BLOCK_BYTES, so any line N is found by a binary search and at most one
// block (≤ BLOCK_BYTES plus one line) is read from the core to draw it.
import { AnsiParser, type AnsiSink } from './ansiParser';
import { applySgr, PLAIN, type SgrState } from './sgr';

export const BLOCK_BYTES = 64 * 1024;

export interface Checkpoint {
  /** 0-based number of the line starting here. */
  readonly line: number;
  readonly byte: number;
  readonly sgr: SgrState;
}

/** A block of whole lines: [startByte, endByte) holds lines [firstLine, firstLine + lineCount). */
export interface Block {
  readonly index: number;
  readonly firstLine: number;
  readonly lineCount: number;
  readonly startByte: number;
  /** Exclusive; for the last (growing) block, the bytes indexed so far. */
  readonly endByte: number;
  readonly sgr: SgrState;
  /** The last block, still growing. */
  readonly open: boolean;
}

export class LineIndex {
  private readonly checkpoints: Checkpoint[] = [{ line: 0, byte: 0, sgr: PLAIN }];
  private readonly parser = new AnsiParser();
  private sgr: SgrState = PLAIN;
  private newlines = 0;
  private end = 0;
  private readonly blockBytes: number;

  constructor(blockBytes = BLOCK_BYTES) {
    this.blockBytes = blockBytes;
  }

  /** Bytes indexed so far: the next byte expected. */
  get indexedEnd(): number {
    return this.end;
  }

  /** Lines so far; a last line without its line feed counts. */
  get lineCount(): number {
    return this.newlines + (this.end > this.lastLineStart ? 1 : 0);
  }

  private lastLineStart = 0;

  /**
   * Indexes the bytes at `offset`. Bytes already indexed are skipped; bytes past a gap are
   * refused (answers false) — the caller fetches the gap first.
   */
  append(offset: number, bytes: Uint8Array): boolean {
    if (offset > this.end) return false;
    const skip = this.end - offset;
    if (skip >= bytes.length) return true;
    const base = offset;
    const sink: AnsiSink = {
      text: () => undefined,
      sgr: (params) => {
        this.sgr = applySgr(this.sgr, params);
      },
      newline: (at) => {
        this.newlines += 1;
        const next = base + at + 1;
        this.lastLineStart = next;
        const last = this.checkpoints[this.checkpoints.length - 1]!;
        if (next - last.byte >= this.blockBytes) this.checkpoints.push({ line: this.newlines, byte: next, sgr: this.sgr });
      },
    };
    this.parser.feed(bytes, sink, skip, bytes.length);
    this.end = offset + bytes.length;
    return true;
  }

  get blockCount(): number {
    return this.checkpoints.length;
  }

  block(index: number): Block | undefined {
    const cp = this.checkpoints[index];
    if (cp === undefined) return undefined;
    const next = this.checkpoints[index + 1];
    if (next !== undefined) return { index, firstLine: cp.line, lineCount: next.line - cp.line, startByte: cp.byte, endByte: next.byte, sgr: cp.sgr, open: false };
    return { index, firstLine: cp.line, lineCount: this.lineCount - cp.line, startByte: cp.byte, endByte: this.end, sgr: cp.sgr, open: true };
  }

  /** The block holding 0-based line `line`, or undefined past the end. */
  blockOfLine(line: number): Block | undefined {
    if (line < 0 || line >= this.lineCount) return undefined;
    let lo = 0;
    let hi = this.checkpoints.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.checkpoints[mid]!.line <= line) lo = mid;
      else hi = mid - 1;
    }
    return this.block(lo);
  }
}
