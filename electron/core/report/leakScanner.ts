import { secretForms } from '../ssh/masking';

/**
 * Finds a secret (or a form of it: base64, URL, JSON escaped) in a byte stream, across chunk
 * boundaries. The bundle is not masked at export: its journal is hash-chained and its outputs are
 * digested as recorded, so masking belongs where they are recorded. What export can do is refuse
 * to write a bundle in which a secret still shows.
 */
export class LeakScanner {
  private readonly forms: Buffer[];
  private readonly keep: number;
  private tail: Buffer = Buffer.alloc(0);
  private leaked = false;

  constructor(secrets: readonly string[]) {
    this.forms = [...new Set(secrets.flatMap(secretForms))].map((form) => Buffer.from(form, 'utf8')).filter((form) => form.length > 0);
    this.keep = Math.max(0, ...this.forms.map((form) => form.length - 1));
  }

  get active(): boolean {
    return this.forms.length > 0;
  }

  /** Starts a new file: what came before no longer joins with what follows. */
  reset(): void {
    this.tail = Buffer.alloc(0);
    this.leaked = false;
  }

  push(chunk: Uint8Array): void {
    if (this.forms.length === 0 || this.leaked) return;
    const data = this.tail.length === 0 ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.concat([this.tail, chunk]);
    if (this.forms.some((form) => data.includes(form))) this.leaked = true;
    this.tail = Buffer.from(data.subarray(Math.max(0, data.length - this.keep)));
  }

  get found(): boolean {
    return this.leaked;
  }
}
