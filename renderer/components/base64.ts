// Bytes to and from base64 without Node's Buffer (the renderer has none): uploads in chunks,
// archive downloads and photo thumbnails, and the base64 body of a data URL (a canvas export).
const SLICE = 0x8000;

/** In slices, so that a 1 MiB chunk never spreads a million arguments onto the call stack. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let at = 0; at < bytes.length; at += SLICE) {
    binary += String.fromCharCode(...bytes.subarray(at, at + SLICE));
  }
  return btoa(binary);
}

export function hexOf(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The base64 body of a `data:…;base64,` URL (what canvas.toDataURL answers). */
export function dataUrlBase64(dataUrl: string): string {
  const comma = dataUrl.indexOf(',');
  if (!dataUrl.startsWith('data:') || comma < 0 || !dataUrl.slice(0, comma).endsWith(';base64')) throw new Error('not a base64 data URL');
  return dataUrl.slice(comma + 1);
}
