// The start and end of a step's output for the HTML report: the reader sees how it began and
// how it ended; the whole output is in the bundle.

export interface OutputExcerpt {
  readonly head: string;
  readonly tail: string;
  /** Lines left out between head and tail (0: the whole output is shown). */
  readonly omittedLines: number;
}

export const EXCERPT_LINES = 10;
/** Bytes read from each end: bounds memory for any output size. */
export const EXCERPT_BYTES = 16 * 1024;
/**
 * Characters kept per line and per end. Output without line breaks (progress bars redrawn with
 * `\r`, minified JSON) would otherwise put 16 KiB per end into the page: 500 such steps made a
 * 16 MB report that took Chromium 10–17 s to open.
 */
export const EXCERPT_LINE_CHARS = 200;
export const EXCERPT_END_CHARS = 1500;

// A carriage return redraws a line on a terminal: for a reader it ends one.
const LINE_BREAK = /\r\n|\n|\r/;

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  // Never split a surrogate pair.
  if (/[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end -= 1;
  return `${text.slice(0, end)}…`;
}

function shown(lines: readonly string[]): string {
  return cut(lines.map((line) => cut(line, EXCERPT_LINE_CHARS)).join('\n'), EXCERPT_END_CHARS);
}

export interface StreamReader {
  length(stream: string): number;
  read(stream: string, offset: number, length: number): Buffer;
}

export function excerptOf(reader: StreamReader, stream: string, lines = EXCERPT_LINES): OutputExcerpt {
  const total = reader.length(stream);
  if (total <= EXCERPT_BYTES * 2) {
    const all = reader.read(stream, 0, total).toString('utf8').split(LINE_BREAK);
    if (all[all.length - 1] === '') all.pop();
    if (all.length <= lines * 2) return { head: shown(all), tail: '', omittedLines: 0 };
    return { head: shown(all.slice(0, lines)), tail: shown(all.slice(-lines)), omittedLines: all.length - lines * 2 };
  }
  const head = reader.read(stream, 0, EXCERPT_BYTES).toString('utf8').split(LINE_BREAK).slice(0, lines);
  const tailLines = reader.read(stream, total - EXCERPT_BYTES, EXCERPT_BYTES).toString('utf8').split(LINE_BREAK);
  if (tailLines[tailLines.length - 1] === '') tailLines.pop();
  // -1 marks "many": the count is unknown without reading everything.
  return { head: shown(head), tail: shown(tailLines.slice(-lines)), omittedLines: -1 };
}
