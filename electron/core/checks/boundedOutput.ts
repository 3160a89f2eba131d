// Output of a check is kept within bounds: a check that prints megabytes (a runaway `cat`, a
// process list on a busy server) must not grow the runner's memory or the journal without limit.

/** Collects up to `limit` bytes of a stream and counts the rest. */
export class BoundedOutput {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private total = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    const room = this.limit - this.kept;
    if (room <= 0) return;
    const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
    this.chunks.push(part);
    this.kept += part.length;
  }

  /** Bytes received in all. */
  get bytes(): number {
    return this.total;
  }

  get overflowed(): boolean {
    return this.total > this.limit;
  }

  /** What was kept, as UTF-8 (a character cut at the limit is dropped, not mangled). */
  text(): string {
    return decodeWhole(Buffer.concat(this.chunks));
  }
}

/** UTF-8 text of `bytes` without a trailing partial character. */
function decodeWhole(bytes: Buffer): string {
  let end = bytes.length;
  // Step back over continuation bytes to the lead byte of the last character; drop it if short.
  let i = end - 1;
  while (i >= 0 && i > end - 4 && (bytes[i]! & 0xc0) === 0x80) i--;
  if (i >= 0) {
    const lead = bytes[i]!;
    const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    if (end - i < need) end = i;
  }
  return bytes.subarray(0, end).toString('utf8');
}

/** The first `limit` bytes of a text, cut on a character boundary. */
export function headOf(text: string, limit: number): { text: string; truncated: boolean } {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= limit) return { text, truncated: false };
  return { text: decodeWhole(bytes.subarray(0, limit)), truncated: true };
}
