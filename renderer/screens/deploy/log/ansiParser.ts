// A streaming parser of terminal output as bytes. It keeps text, line breaks and SGR colour
// changes, and drops every other control: cursor movement, titles, and above all the sequences
// that would act on the technician's desktop — OSC 52 (clipboard) and OSC 8 (hyperlinks) are
// consumed whole, payload included, whether they end with BEL or ST and however the bytes are
// split across chunks. Nothing here ever touches the clipboard or makes a link.
//
// A line feed always ends a line, even inside an unfinished sequence (which it abandons): line
// boundaries are then exactly the 0x0A bytes, so the line index can count lines without parsing
// and any line can be parsed from its first byte.

export interface AnsiSink {
  /** Bytes [start, end) of the chunk are text to show (still UTF-8, possibly invalid). */
  text(chunk: Uint8Array, start: number, end: number): void;
  /** An SGR sequence with these parameters (the bytes between `ESC [` and `m`). */
  sgr(params: string): void;
  /** A line feed at `at` in the chunk. */
  newline(at: number): void;
}

const enum State {
  Ground,
  Escape,
  EscapeIntermediate,
  Csi,
  /** OSC, DCS, SOS, PM, APC: a string ended by BEL or ST, never shown. */
  Str,
  /** ESC seen inside a string: `\` ends it, anything else starts a new sequence. */
  StrEscape,
}

const ESC = 0x1b;
const LF = 0x0a;
const TAB = 0x09;
const BEL = 0x07;
/** Longer CSI parameter strings are not SGR that anyone writes: ignored, and memory stays bounded. */
const MAX_CSI_PARAMS = 64;

export class AnsiParser {
  private state = State.Ground;
  private params = '';
  private csiIsSgr = true;

  /** Back to the start of a line with nothing pending (a fresh block of lines). */
  reset(): void {
    this.state = State.Ground;
    this.params = '';
    this.csiIsSgr = true;
  }

  get inSequence(): boolean {
    return this.state !== State.Ground;
  }

  feed(chunk: Uint8Array, sink: AnsiSink, start = 0, end = chunk.length): void {
    let textStart = -1;
    const flush = (at: number): void => {
      if (textStart >= 0 && at > textStart) sink.text(chunk, textStart, at);
      textStart = -1;
    };
    for (let i = start; i < end; i++) {
      const b = chunk[i]!;
      if (this.state === State.Ground) {
        if (b >= 0x20 ? b !== 0x7f : b === TAB) {
          if (textStart < 0) textStart = i;
          continue;
        }
        flush(i);
        if (b === LF) sink.newline(i);
        else if (b === ESC) this.state = State.Escape;
        // Every other C0 control (CR, BS, BEL…) and DEL is dropped.
        continue;
      }
      if (b === LF) {
        this.reset();
        sink.newline(i);
        continue;
      }
      this.step(b, sink);
    }
    flush(end);
  }

  private step(b: number, sink: AnsiSink): void {
    switch (this.state) {
      case State.Escape:
        if (b === 0x5b) {
          this.state = State.Csi;
          this.params = '';
          this.csiIsSgr = true;
        } else if (b === 0x5d || b === 0x50 || b === 0x58 || b === 0x5e || b === 0x5f) this.state = State.Str;
        else if (b >= 0x20 && b <= 0x2f) this.state = State.EscapeIntermediate;
        else if (b >= 0x20) this.state = State.Ground;
        // ESC starts over and other C0 controls are ignored: stay.
        return;
      case State.EscapeIntermediate:
        if (b === ESC) this.state = State.Escape;
        else if (b >= 0x30) this.state = State.Ground;
        return;
      case State.Csi:
        if (b >= 0x30 && b <= 0x3f) {
          if (this.params.length >= MAX_CSI_PARAMS || (this.params === '' && b >= 0x3c)) this.csiIsSgr = false;
          else this.params += String.fromCharCode(b);
        } else if (b >= 0x20 && b <= 0x2f) this.csiIsSgr = false;
        else if (b >= 0x40 && b <= 0x7e) {
          if (b === 0x6d && this.csiIsSgr) sink.sgr(this.params);
          this.state = State.Ground;
        } else if (b === ESC) this.state = State.Escape;
        else if (b >= 0x80) this.state = State.Ground;
        return;
      case State.Str:
        if (b === BEL) this.state = State.Ground;
        else if (b === ESC) this.state = State.StrEscape;
        return;
      case State.StrEscape:
        if (b === 0x5c) this.state = State.Ground;
        else if (b !== ESC) {
          this.state = State.Escape;
          this.step(b, sink);
        }
        return;
      default:
        return;
    }
  }
}
