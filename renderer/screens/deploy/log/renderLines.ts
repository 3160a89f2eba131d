// Bytes of whole lines → lines of styled text runs, for the log view. Text is decoded as UTF-8
// with U+FFFD for invalid bytes; control characters that survive decoding (C1, U+0080–U+009F)
// are removed, so nothing in the output can act as a terminal command. The runs are plain
// strings: React renders them as text, never as HTML.
import { AnsiParser } from './ansiParser';
import { applySgr, PLAIN, type SgrState } from './sgr';

export interface StyledRun {
  readonly text: string;
  readonly sgr: SgrState;
}

export interface RenderedLine {
  readonly runs: readonly StyledRun[];
  /** Bytes of this line not shown (a line longer than the display limit). */
  readonly hiddenBytes: number;
}

/** A line is shown up to this many bytes; the rest is counted, not drawn. */
export const MAX_LINE_BYTES = 16 * 1024;

// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's purpose: they are removed
const C1_AND_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

function decode(bytes: Uint8Array, decoder: TextDecoder): string {
  return decoder.decode(bytes).replace(C1_AND_CONTROLS, '');
}

/**
 * Parses `bytes` (starting at a line start, with the colours in force there) into lines. The last
 * line is included even without a final line feed. `lastLineBytes`: the real length of the last
 * line when the caller read only its start.
 */
export function renderLines(bytes: Uint8Array, start: SgrState = PLAIN, lastLineBytes?: number): { lines: RenderedLine[]; end: SgrState } {
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  const parser = new AnsiParser();
  const lines: RenderedLine[] = [];
  let sgr = start;
  let runs: StyledRun[] = [];
  let pending: Uint8Array[] = [];
  let pendingSgr = sgr;
  let shown = 0;
  let hidden = 0;

  const flushRun = (): void => {
    if (pending.length === 0) return;
    const bytesOfRun = pending.length === 1 ? pending[0]! : concat(pending);
    const text = decode(bytesOfRun, decoder);
    if (text !== '') runs.push({ text, sgr: pendingSgr });
    pending = [];
  };
  const endLine = (): void => {
    flushRun();
    lines.push({ runs, hiddenBytes: hidden });
    runs = [];
    shown = 0;
    hidden = 0;
  };

  parser.feed(bytes, {
    text(chunk, from, to) {
      if (pending.length === 0) pendingSgr = sgr;
      const room = Math.max(0, MAX_LINE_BYTES - shown);
      const take = Math.min(room, to - from);
      if (take > 0) pending.push(chunk.subarray(from, from + take));
      shown += take;
      hidden += to - from - take;
    },
    sgr(params) {
      const next = applySgr(sgr, params);
      if (next !== sgr) {
        flushRun();
        sgr = next;
      }
    },
    newline() {
      endLine();
    },
  });
  const endsWithNewline = bytes.length > 0 && bytes[bytes.length - 1] === 0x0a;
  if (!endsWithNewline && (bytes.length > 0 || lastLineBytes !== undefined)) {
    flushRun();
    if (lastLineBytes !== undefined) {
      const lastStart = bytes.lastIndexOf(0x0a) + 1;
      hidden += Math.max(0, lastLineBytes - (bytes.length - lastStart));
    }
    lines.push({ runs, hiddenBytes: hidden });
  }
  return { lines, end: sgr };
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
