import { maskingPatterns } from './secretForms';
import { SecretMasker } from './secretMasker';

export type OutputStreamName = 'stdout' | 'stderr';

/**
 * A piece of masked output. `offset`..`end` is the range of the command's raw output (bytes on
 * the host) that `data` stands for; pieces of one stream follow each other without gap or
 * overlap. After a lost link, reattaching from the last stored piece's `end` continues exactly:
 * bytes held back as a possible start of a secret were never released, so they are read again.
 */
export interface MaskedChunk {
  stream: OutputStreamName;
  offset: number;
  end: number;
  data: Buffer;
}

/** Masks stdout and stderr of one command, each on its own, keeping raw offsets. */
export class OutputMasker {
  private readonly maskers: Record<OutputStreamName, SecretMasker>;
  private readonly received: Record<OutputStreamName, number>;
  private readonly released: Record<OutputStreamName, number>;

  /** `secrets` are plain values; their derived forms (base64, URL, JSON) are masked too. */
  constructor(secrets: Iterable<string>, from: Readonly<Record<OutputStreamName, number>>) {
    const patterns = maskingPatterns(secrets);
    this.maskers = { stdout: new SecretMasker(patterns), stderr: new SecretMasker(patterns) };
    this.received = { stdout: from.stdout, stderr: from.stderr };
    this.released = { stdout: from.stdout, stderr: from.stderr };
  }

  /** Raw offsets up to which masked output has been released, per stream. */
  get resumeOffsets(): Record<OutputStreamName, number> {
    return { ...this.released };
  }

  push(stream: OutputStreamName, offset: number, data: Buffer): MaskedChunk | undefined {
    if (offset !== this.received[stream]) throw new RangeError(`${stream} piece at ${offset}, expected ${this.received[stream]}`);
    this.received[stream] += data.length;
    const masked = this.maskers[stream].push(data);
    return this.emit(stream, masked, this.received[stream] - this.maskers[stream].heldBytes);
  }

  /** Releases what each stream still holds: the output is complete. */
  end(): MaskedChunk[] {
    const out: MaskedChunk[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      const chunk = this.emit(stream, this.maskers[stream].end(), this.received[stream]);
      if (chunk !== undefined) out.push(chunk);
    }
    return out;
  }

  private emit(stream: OutputStreamName, data: Buffer, end: number): MaskedChunk | undefined {
    const offset = this.released[stream];
    if (end === offset && data.length === 0) return undefined;
    this.released[stream] = end;
    return { stream, offset, end, data };
  }
}
