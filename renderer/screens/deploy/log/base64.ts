// Base64 → bytes without building a string of the decoded bytes (output arrives at MB/s).

interface Uint8ArrayWithBase64 {
  fromBase64?: (text: string) => Uint8Array;
}
interface Uint8ArrayWithSetFromBase64 {
  setFromBase64?: (text: string) => { read: number; written: number };
}

export function decodeBase64(text: string): Uint8Array {
  const native = (Uint8Array as unknown as Uint8ArrayWithBase64).fromBase64;
  if (native !== undefined) return native(text);
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/**
 * Decodes into one reused buffer: live output arrives as thousands of small events, and a new
 * ArrayBuffer for each makes the garbage collector stop the page for 100 ms and more. The answer
 * is a view of the scratch buffer, valid until the next call.
 */
export class Base64Scratch {
  private buffer = new Uint8Array(64 * 1024);

  decode(text: string): Uint8Array {
    const needed = Math.ceil((text.length * 3) / 4);
    if (needed > this.buffer.length) this.buffer = new Uint8Array(Math.max(needed, this.buffer.length * 2));
    const target = this.buffer as unknown as Uint8ArrayWithSetFromBase64;
    if (target.setFromBase64 !== undefined) {
      const { written } = target.setFromBase64.call(this.buffer, text);
      return this.buffer.subarray(0, written);
    }
    const binary = atob(text);
    for (let i = 0; i < binary.length; i++) this.buffer[i] = binary.charCodeAt(i);
    return this.buffer.subarray(0, binary.length);
  }
}
