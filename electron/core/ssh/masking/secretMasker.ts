// A streaming filter that replaces every occurrence of a secret in a byte stream with `***`
// before anything stores or shows the output. It works on bytes, so a secret split across two or
// more chunks (or a multi-byte character split anywhere) is still found: the last
// (longest secret - 1) bytes are held back until the next chunk or the end. Where occurrences
// overlap or nest ('abc' and 'bcd' in 'abcd'), their union is masked, so no byte of any
// occurrence shows.

export const MASK = Buffer.from('***');

type Interval = [start: number, end: number];

function normalize(secrets: Iterable<string | Buffer>): Buffer[] {
  const seen = new Set<string>();
  const out: Buffer[] = [];
  for (const secret of secrets) {
    const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
    if (bytes.length === 0) continue;
    const key = bytes.toString('hex');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(bytes);
  }
  return out;
}

function merge(intervals: Interval[]): Interval[] {
  intervals.sort((a, b) => a[0] - b[0]);
  const merged: Interval[] = [];
  for (const [s, e] of intervals) {
    const last = merged.at(-1);
    // Overlapping occurrences become one; merely adjacent ones stay two, whatever the chunking.
    if (last !== undefined && s < last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged;
}

export class SecretMasker {
  private readonly secrets: Buffer[];
  private readonly keep: number;
  private held: Buffer = Buffer.alloc(0);
  /** Leading bytes of `held` that belong to an occurrence whose start was already emitted as `***`. */
  private carry = 0;

  constructor(secrets: Iterable<string | Buffer>) {
    this.secrets = normalize(secrets);
    this.keep = Math.max(0, ...this.secrets.map((s) => s.length - 1));
  }

  /** Bytes received but not yet released (a possible start of a secret). */
  get heldBytes(): number {
    return this.held.length;
  }

  /** Masks what can be decided now; holds the tail that might still begin a secret. */
  push(data: Buffer): Buffer {
    if (this.secrets.length === 0) return data;
    const buffer = this.held.length === 0 ? data : Buffer.concat([this.held, data]);
    return this.release(buffer, Math.max(0, buffer.length - this.keep));
  }

  /** Releases everything held (end of the stream). */
  end(): Buffer {
    const buffer = this.held;
    if (buffer.length === 0) return buffer;
    return this.release(buffer, buffer.length);
  }

  private release(buffer: Buffer, cut: number): Buffer {
    const intervals = this.occurrences(buffer);
    const pieces: Buffer[] = [];
    let at = 0;
    let carry = Math.max(0, this.carry - cut);
    for (const [s, e] of intervals) {
      if (s >= cut) break;
      if (s > at) pieces.push(buffer.subarray(at, s));
      // The continuation of an occurrence already shown as *** stays one ***.
      if (!(s === 0 && this.carry > 0)) pieces.push(MASK);
      at = Math.min(e, cut);
      if (e > cut) carry = Math.max(carry, e - cut);
    }
    if (at < cut) pieces.push(buffer.subarray(at, cut));
    this.held = Buffer.from(buffer.subarray(cut));
    this.carry = cut === 0 ? Math.max(this.carry, carry) : carry;
    return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
  }

  private occurrences(buffer: Buffer): Interval[] {
    const found: Interval[] = [];
    if (this.carry > 0) found.push([0, Math.min(this.carry, buffer.length)]);
    for (const secret of this.secrets) {
      for (let i = buffer.indexOf(secret); i !== -1; i = buffer.indexOf(secret, i + 1)) found.push([i, i + secret.length]);
    }
    return merge(found);
  }
}
