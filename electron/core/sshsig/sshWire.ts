// The SSH wire encoding (RFC 4251 §5) that SSHSIG blobs, public keys and signatures are made of.
// Readers never read past the end: a short or overlong field is a parse error the caller names.

export class WireFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireFormatError';
  }
}

export function wireString(value: Buffer | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length, 0);
  return Buffer.concat([length, bytes]);
}

export function wireUint32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value, 0);
  return bytes;
}

/** A cursor over one wire-encoded buffer; each read names the field it expected when it fails. */
export class WireReader {
  private offset = 0;

  constructor(private readonly bytes: Buffer) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  raw(length: number, field: string): Buffer {
    if (length > this.remaining) throw new WireFormatError(`${field} is cut short (needs ${length} bytes, ${this.remaining} left)`);
    const out = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  uint32(field: string): number {
    return this.raw(4, field).readUInt32BE(0);
  }

  string(field: string): Buffer {
    const length = this.uint32(`the length of ${field}`);
    return this.raw(length, field);
  }

  /** A string field holding text; SSH names are ASCII, namespaces and comments may be UTF-8. */
  text(field: string): string {
    const bytes = this.string(field);
    const text = bytes.toString('utf8');
    if (!Buffer.from(text, 'utf8').equals(bytes)) throw new WireFormatError(`${field} is not valid UTF-8`);
    if (text.includes('\0')) throw new WireFormatError(`${field} contains a NUL byte`);
    return text;
  }

  expectEnd(what: string): void {
    if (this.remaining !== 0) throw new WireFormatError(`${what} has ${this.remaining} unexpected trailing bytes`);
  }
}
