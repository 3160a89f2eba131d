// The media type of an attachment, judged from its bytes (never from its name or from what the
// page claims), so that report.html only ever inlines bytes that really are an image.

export const MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf', 'text/plain', 'application/octet-stream'] as const;
export type AttachmentMediaType = (typeof MEDIA_TYPES)[number];

/** Image types report.html may show inline (its CSP allows `img-src data:`). */
export const INLINE_IMAGE_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/webp']);

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Bytes needed to recognise every binary format above. */
const HEAD_BYTES = 16;

function binaryTypeOf(head: Buffer): AttachmentMediaType | undefined {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.length >= PNG_MAGIC.length && head.subarray(0, PNG_MAGIC.length).equals(PNG_MAGIC)) return 'image/png';
  if (head.length >= 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  if (head.length >= 5 && head.toString('latin1', 0, 5) === '%PDF-') return 'application/pdf';
  return undefined;
}

/** Tab, line feed, form feed and carriage return are text; every other C0 control (NUL, ESC…) is not. */
function hasControlBytes(chunk: Uint8Array): boolean {
  for (const byte of chunk) if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d) return true;
  return false;
}

/**
 * Fed the file's bytes in order, tells its media type at the end: a known image or PDF by its
 * signature, plain text when the whole file is valid UTF-8 without control bytes, anything else
 * application/octet-stream.
 */
export class MediaTypeSniffer {
  private head = Buffer.alloc(0);
  private text = true;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  push(chunk: Uint8Array): void {
    if (this.head.length < HEAD_BYTES) this.head = Buffer.concat([this.head, Buffer.from(chunk.subarray(0, HEAD_BYTES - this.head.length))]);
    if (!this.text) return;
    if (hasControlBytes(chunk)) {
      this.text = false;
      return;
    }
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      this.text = false;
    }
  }

  result(): AttachmentMediaType {
    const binary = binaryTypeOf(this.head);
    if (binary !== undefined) return binary;
    if (!this.text) return 'application/octet-stream';
    try {
      // A multi-byte character cut off at the end is not text.
      this.decoder.decode();
      return 'text/plain';
    } catch {
      return 'application/octet-stream';
    }
  }
}

export function mediaTypeOf(bytes: Uint8Array): AttachmentMediaType {
  const sniffer = new MediaTypeSniffer();
  sniffer.push(bytes);
  return sniffer.result();
}
