// One output stream of a step as the log view sees it: the line index (fed by live events and,
// for bytes that came before the view opened, by ranges read from the core in the background),
// and the rendered lines of the blocks in view, cached. The main thread is never held long:
// background reads are indexed in slices with a yield between them, and listeners hear of
// changes at most once per animation frame.
import { BLOCK_BYTES, LineIndex, type Block } from './lineIndex';
import { MAX_LINE_BYTES, renderLines, type RenderedLine } from './renderLines';
import type { SgrState } from './sgr';

export type ReadRange = (offset: number, length: number) => Promise<Uint8Array>;

/** How much one background read asks for; the core allows up to 16 MiB. */
const READ_BYTES = 4 * 1024 * 1024;
/** How much is indexed between yields to the event loop. */
const SLICE_BYTES = 512 * 1024;
const CACHED_BLOCKS = 48;
/** The open block is kept in memory while it is this small (a huge unfinished line is read from the core instead). */
const MAX_TAIL_BYTES = BLOCK_BYTES + MAX_LINE_BYTES * 4;

const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class StreamLog {
  readonly index = new LineIndex();
  private readonly listeners = new Set<() => void>();
  private readonly cache = new Map<number, RenderedLine[]>();
  private readonly loading = new Set<number>();
  private tail: { start: number; bytes: Uint8Array; length: number } | undefined = { start: 0, bytes: new Uint8Array(4096), length: 0 };
  /** The open block rendered so far: its complete lines once (each byte parsed once), the unfinished last line again each time. */
  private tailRendered: { start: number; end: number; doneBytes: number; sgr: SgrState; done: RenderedLine[]; lines: RenderedLine[] } | undefined;
  /** Bytes the core has (or will have) for this stream, as far as we know. */
  private knownEnd = 0;
  private finalLength: number | undefined;
  private catchingUp = false;
  private disposed = false;
  private frame = 0;
  error: string | undefined;
  /** Changes whenever something the view draws changed (once per frame at most). */
  version = 0;

  constructor(private readonly read: ReadRange) {
    void this.catchUp();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
  }

  get lineCount(): number {
    return this.index.lineCount;
  }

  get bytesIndexed(): number {
    return this.index.indexedEnd;
  }

  /** Whether bytes known to exist are still being read. */
  get behind(): boolean {
    return this.index.indexedEnd < Math.max(this.knownEnd, this.finalLength ?? 0);
  }

  /** Live output at `offset`. */
  live(offset: number, bytes: Uint8Array): void {
    this.knownEnd = Math.max(this.knownEnd, offset + bytes.length);
    if (!this.ingest(offset, bytes)) void this.catchUp();
  }

  /** The stream ended with this many bytes (from the step's end event). */
  ended(length: number): void {
    if (this.finalLength === length) return;
    this.finalLength = length;
    this.knownEnd = Math.max(this.knownEnd, length);
    if (this.behind) void this.catchUp();
  }

  /** The rendered line `n` (0-based), or undefined while its block is being read. */
  line(n: number): RenderedLine | undefined {
    const block = this.index.blockOfLine(n);
    if (block === undefined) return undefined;
    const lines = block.open ? this.openBlockLines(block) : this.closedBlockLines(block);
    return lines?.[n - block.firstLine];
  }

  private ingest(offset: number, bytes: Uint8Array): boolean {
    const before = this.index.indexedEnd;
    const firstBlock = this.index.blockCount;
    if (!this.index.append(offset, bytes)) return false;
    const after = this.index.indexedEnd;
    if (after === before) return true;
    if (this.index.blockCount !== firstBlock) {
      // A new block started: the tail now begins at the last checkpoint.
      const open = this.index.block(this.index.blockCount - 1)!;
      this.tail = this.keepTail(open, offset, bytes);
      this.tailRendered = undefined;
    } else if (this.tail !== undefined) {
      this.appendTail(bytes.subarray(before - offset));
    }
    this.changed();
    return true;
  }

  /** The open block's bytes, from what the tail held and the chunk just indexed. */
  private keepTail(open: Block, offset: number, bytes: Uint8Array): { start: number; bytes: Uint8Array; length: number } | undefined {
    if (open.startByte < offset) return undefined;
    const kept = bytes.subarray(open.startByte - offset);
    if (kept.length > MAX_TAIL_BYTES) return undefined;
    const copy = new Uint8Array(Math.max(4096, kept.length * 2));
    copy.set(kept);
    return { start: open.startByte, bytes: copy, length: kept.length };
  }

  private appendTail(more: Uint8Array): void {
    const tail = this.tail!;
    if (tail.length + more.length > MAX_TAIL_BYTES) {
      this.tail = undefined;
      return;
    }
    if (tail.length + more.length > tail.bytes.length) {
      const grown = new Uint8Array(Math.min(MAX_TAIL_BYTES, Math.max(tail.bytes.length * 2, tail.length + more.length)));
      grown.set(tail.bytes.subarray(0, tail.length));
      tail.bytes = grown;
    }
    tail.bytes.set(more, tail.length);
    tail.length += more.length;
  }

  private openBlockLines(block: Block): RenderedLine[] | undefined {
    const tail = this.tail;
    if (tail === undefined || tail.start !== block.startByte) return this.closedBlockLines(block);
    let r = this.tailRendered;
    if (r === undefined || r.start !== block.startByte) {
      r = { start: block.startByte, end: -1, doneBytes: 0, sgr: block.sgr, done: [], lines: [] };
      this.tailRendered = r;
    }
    if (r.end !== block.endByte) {
      const bytes = tail.bytes.subarray(0, tail.length);
      const complete = bytes.lastIndexOf(0x0a) + 1;
      if (complete > r.doneBytes) {
        const rendered = renderLines(bytes.subarray(r.doneBytes, complete), r.sgr);
        for (const line of rendered.lines) r.done.push(line);
        r.sgr = rendered.end;
        r.doneBytes = complete;
      }
      const unfinished = complete < bytes.length ? renderLines(bytes.subarray(complete), r.sgr).lines : [];
      r.lines = unfinished.length === 0 ? r.done : [...r.done, ...unfinished];
      r.end = block.endByte;
    }
    return r.lines;
  }

  private closedBlockLines(block: Block): RenderedLine[] | undefined {
    const key = block.open ? -1 - block.index : block.index;
    const cached = this.cache.get(key);
    if (cached !== undefined && (!block.open || cached.length >= block.lineCount)) return cached;
    if (!this.loading.has(key)) void this.loadBlock(block, key);
    return cached;
  }

  private async loadBlock(block: Block, key: number): Promise<void> {
    this.loading.add(key);
    try {
      const length = Math.min(block.endByte - block.startByte, BLOCK_BYTES + MAX_LINE_BYTES);
      const bytes = await this.read(block.startByte, length);
      if (this.disposed) return;
      const lastLineStart = bytes.lastIndexOf(0x0a) + 1;
      const truncated = bytes.length < block.endByte - block.startByte;
      const { lines } = renderLines(bytes, block.sgr, truncated ? block.endByte - block.startByte - lastLineStart - 1 : undefined);
      this.cache.set(key, lines);
      while (this.cache.size > CACHED_BLOCKS) this.cache.delete(this.cache.keys().next().value!);
      this.changed();
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      this.changed();
    } finally {
      this.loading.delete(key);
    }
  }

  /** Reads what the core stored beyond what is indexed, until caught up (live events then take over). */
  private async catchUp(): Promise<void> {
    if (this.catchingUp || this.disposed) return;
    this.catchingUp = true;
    try {
      let emptyReads = 0;
      for (;;) {
        const from = this.index.indexedEnd;
        const want = this.finalLength === undefined ? READ_BYTES : Math.min(READ_BYTES, this.finalLength - from);
        if (want <= 0) break;
        const bytes = await this.read(from, want);
        if (this.disposed) return;
        for (let at = 0; at < bytes.length; at += SLICE_BYTES) {
          this.ingest(from + at, bytes.subarray(at, at + SLICE_BYTES));
          await nextTask();
          if (this.disposed) return;
        }
        if (bytes.length < want) {
          // The core commits output in groups: what a live event announced may not be readable yet.
          if (!this.behind) break;
          emptyReads = bytes.length === 0 ? emptyReads + 1 : 0;
          if (emptyReads > 40) break;
          await pause(150);
        }
      }
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      this.changed();
    } finally {
      this.catchingUp = false;
    }
  }

  private changed(): void {
    if (this.frame !== 0 || this.disposed) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.version += 1;
      for (const listener of this.listeners) listener();
    });
  }
}
