// The client half of the stream protocol (see streamScript.ts for the frames): turns the bytes
// of one channel's stdout into output pieces with their byte offsets and control frames.
// Pieces are views into the received chunks, so nothing is copied and nothing accumulates.
import { AppError } from '../../../../shared/errors';

export type StreamName = 'stdout' | 'stderr';

export type FrameEvent =
  | { type: 'data'; stream: StreamName; offset: number; data: Buffer }
  | { type: 'started'; attached: boolean }
  | { type: 'ready' }
  | { type: 'finished'; record: string }
  | { type: 'unknown'; reason: string }
  | { type: 'failed'; reason: string };

const MAX_HEADER = 4096;
/** How much a chatty login shell (a .bashrc that echoes) may print before the marker. */
const MAX_PREAMBLE = 65536;

function protocolError(what: string): AppError {
  return new AppError('SSH_REMOTE_FAILED', `The host's output stream broke the wrapper protocol (${what}). Reattach to read the rest; if it repeats, check the host's /bin/sh.`, {
    reason: 'protocol',
  });
}

export class FrameReader {
  private header: Buffer[] = [];
  private headerLength = 0;
  /** Lines before this one came from the login shell, not from the wrapper: skipped. */
  private awaitingMarker: string | undefined;
  private preamble = 0;
  private payload: { stream: StreamName; left: number } | undefined;
  private ended = false;
  /** Next byte offset expected per stream: what has been delivered so far. */
  readonly offsets: Record<StreamName, number>;

  constructor(from: { stdout: number; stderr: number }, marker?: string) {
    this.offsets = { stdout: from.stdout, stderr: from.stderr };
    this.awaitingMarker = marker;
  }

  /** True once a final frame (x, u, f) arrived. */
  get done(): boolean {
    return this.ended;
  }

  feed(chunk: Buffer): FrameEvent[] {
    const events: FrameEvent[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (this.ended) throw protocolError('bytes after the final frame');
      if (this.payload !== undefined) {
        const take = Math.min(this.payload.left, chunk.length - at);
        const stream = this.payload.stream;
        events.push({ type: 'data', stream, offset: this.offsets[stream], data: chunk.subarray(at, at + take) });
        this.offsets[stream] += take;
        this.payload.left -= take;
        at += take;
        if (this.payload.left === 0) this.payload = undefined;
        continue;
      }
      const newline = chunk.indexOf(0x0a, at);
      const end = newline === -1 ? chunk.length : newline;
      this.header.push(chunk.subarray(at, end));
      this.headerLength += end - at;
      if (this.awaitingMarker !== undefined) {
        this.preamble += end - at + 1;
        if (this.preamble > MAX_PREAMBLE) throw protocolError('no wrapper output after 64 KiB from the login shell');
      } else if (this.headerLength > MAX_HEADER) throw protocolError('header too long');
      at = end;
      if (newline === -1) break;
      at += 1;
      const line = Buffer.concat(this.header, this.headerLength).toString('utf8');
      this.header = [];
      this.headerLength = 0;
      if (this.awaitingMarker !== undefined) {
        if (line === this.awaitingMarker) this.awaitingMarker = undefined;
        continue;
      }
      const event = this.control(line);
      if (event !== undefined) events.push(event);
    }
    return events;
  }

  private control(line: string): FrameEvent | undefined {
    const data = /^([oe]) (\d+) (\d+)$/.exec(line);
    if (data !== null) {
      const stream: StreamName = data[1] === 'o' ? 'stdout' : 'stderr';
      const offset = Number(data[2]);
      const length = Number(data[3]);
      if (offset !== this.offsets[stream]) throw protocolError(`${stream} at ${offset}, expected ${this.offsets[stream]}`);
      if (length > 0) this.payload = { stream, left: length };
      return undefined;
    }
    const control = /^(s (started|attached)|r|([xuf]) (\S.*))$/.exec(line);
    const kind = control?.[3] ?? control?.[1]?.charAt(0);
    const rest = control?.[4] ?? control?.[2] ?? '';
    switch (kind) {
      case 's':
        return { type: 'started', attached: rest === 'attached' };
      case 'r':
        return { type: 'ready' };
      case 'x':
        this.ended = true;
        return { type: 'finished', record: rest };
      case 'u':
        this.ended = true;
        return { type: 'unknown', reason: rest };
      case 'f':
        this.ended = true;
        return { type: 'failed', reason: rest };
      default:
        throw protocolError(`unexpected line '${line.slice(0, 60)}'`);
    }
  }
}
