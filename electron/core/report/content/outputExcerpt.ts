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

export interface StreamReader {
  length(stream: string): number;
  read(stream: string, offset: number, length: number): Buffer;
}

export function excerptOf(reader: StreamReader, stream: string, lines = EXCERPT_LINES): OutputExcerpt {
  const total = reader.length(stream);
  if (total <= EXCERPT_BYTES * 2) {
    const all = reader.read(stream, 0, total).toString('utf8').split('\n');
    if (all[all.length - 1] === '') all.pop();
    if (all.length <= lines * 2) return { head: all.join('\n'), tail: '', omittedLines: 0 };
    return { head: all.slice(0, lines).join('\n'), tail: all.slice(-lines).join('\n'), omittedLines: all.length - lines * 2 };
  }
  const head = reader.read(stream, 0, EXCERPT_BYTES).toString('utf8').split('\n').slice(0, lines);
  const tailLines = reader.read(stream, total - EXCERPT_BYTES, EXCERPT_BYTES).toString('utf8').split('\n');
  if (tailLines[tailLines.length - 1] === '') tailLines.pop();
  // -1 marks "many": the count is unknown without reading everything.
  return { head: head.join('\n'), tail: tailLines.slice(-lines).join('\n'), omittedLines: -1 };
}
