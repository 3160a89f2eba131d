/**
 * How an event refers to command output: any object `{ stream, length, sha256 }` in its payload
 * (a step's end event carries one per stream it wrote). The verifier checks each against the
 * output file in the bundle, so the hash chain of the journal covers the output too.
 */
export interface OutputReference {
  readonly seq: number;
  readonly stream: string;
  readonly length: number;
  readonly sha256: string;
}

const HEX64 = /^[0-9a-f]{64}$/;
const MAX_DEPTH = 8;

export function outputReferencesIn(seq: number, payload: unknown): OutputReference[] {
  const found: OutputReference[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1);
      return;
    }
    const record = value as Record<string, unknown>;
    const { stream, length, sha256 } = record;
    if (typeof stream === 'string' && typeof length === 'number' && Number.isSafeInteger(length) && length >= 0 && typeof sha256 === 'string' && HEX64.test(sha256)) {
      found.push({ seq, stream, length, sha256 });
    }
    for (const key of Object.keys(record)) visit(record[key], depth + 1);
  };
  visit(payload, 0);
  return found;
}
