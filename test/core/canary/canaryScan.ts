// The canary scanner (not a test file): the forms in which a secret could reappear, and a scan of
// files and captured output that reports where and which kind of canary it found, never the
// secret itself. The forms are computed here independently of the product's masking code, so a
// gap in one is not mirrored by the other.
import { lstatSync, readdirSync, readFileSync, type Dirent } from 'node:fs';
import { join } from 'node:path';

export interface Canary {
  /** What it is, for the failure message: "sudo password", "ssh key seed"… */
  readonly kind: string;
  readonly forms: readonly Buffer[];
}

export interface CanaryHit {
  readonly where: string;
  readonly kind: string;
}

/** Base64 of `bytes` wherever it starts inside a longer base64 text: the characters made only of its own bits, at each of the three alignments. */
export function embeddedBase64(bytes: Buffer): string[] {
  const forms: string[] = [];
  for (let lead = 0; lead < 3; lead++) {
    const text = Buffer.concat([Buffer.alloc(lead), bytes]).toString('base64');
    // Drop the characters that mix in the lead bytes and the last quartet (mixed with what follows or padding).
    const inner = text.slice(Math.ceil((lead * 4) / 3), text.length - 4);
    if (inner.length >= 8) forms.push(inner, inner.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms;
}

/** A text secret: plain, base64 (standard and URL-safe), URL-encoded (both ways), JSON-escaped (plain and ASCII-only), shell-quoted, hex. */
export function textCanary(kind: string, secret: string): Canary {
  const bytes = Buffer.from(secret, 'utf8');
  const json = JSON.stringify(secret).slice(1, -1);
  const asciiJson = json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const texts = [
    secret,
    ...embeddedBase64(bytes),
    encodeURIComponent(secret),
    new URLSearchParams({ v: secret }).toString().slice(2),
    json,
    asciiJson,
    `'${secret.replace(/'/g, `'\\''`)}'`,
    bytes.toString('hex'),
  ];
  return { kind, forms: unique(texts.map((t) => Buffer.from(t, 'utf8'))) };
}

/** Key material: the raw bytes, their base64 anywhere in a text, and hex. */
export function bytesCanary(kind: string, secret: Buffer): Canary {
  return { kind, forms: unique([secret, ...embeddedBase64(secret).map((t) => Buffer.from(t)), Buffer.from(secret.toString('hex'))]) };
}

/** A PEM file: its whole text, its base64 body joined, and each full body line (a line alone is already a leak). */
export function pemCanary(kind: string, pem: string): Canary {
  const body = pem
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('-----'))
    .map((line) => line.trim());
  return { kind, forms: unique([Buffer.from(pem.trim()), Buffer.from(body.join('')), ...body.filter((line) => line.length >= 40).map((line) => Buffer.from(line))]) };
}

function unique(forms: Buffer[]): Buffer[] {
  const seen = new Map<string, Buffer>();
  for (const form of forms) if (form.length > 0) seen.set(form.toString('hex'), form);
  return [...seen.values()];
}

export function scanBytes(where: string, bytes: Buffer, canaries: readonly Canary[]): CanaryHit[] {
  return canaries.filter((canary) => canary.forms.some((form) => bytes.includes(form))).map((canary) => ({ where, kind: canary.kind }));
}

/** Every regular file under `root` (links are not followed: a link's target is scanned where it lives). */
export function filesUnder(root: string, tolerant = false): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      if (tolerant) return;
      throw error;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.push(path);
    }
  };
  let rootIsDir: boolean;
  try {
    rootIsDir = lstatSync(root).isDirectory();
  } catch (error) {
    if (tolerant) return [];
    throw error;
  }
  if (rootIsDir) walk(root);
  else files.push(root);
  return files;
}

/**
 * Scans what other processes may be changing at the same time (the shared temp folder): files
 * that vanish or cannot be read are passed over, and so are files larger than `maxBytes`.
 */
export function scanSharedTree(root: string, canaries: readonly Canary[], maxBytes: number): { files: number; hits: CanaryHit[] } {
  let files = 0;
  const hits: CanaryHit[] = [];
  for (const path of filesUnder(root, true)) {
    let bytes: Buffer;
    try {
      if (lstatSync(path).size > maxBytes) continue;
      bytes = readFileSync(path);
    } catch {
      continue;
    }
    files++;
    hits.push(...scanBytes(path, bytes, canaries));
  }
  return { files, hits };
}

export function scanTree(root: string, canaries: readonly Canary[]): { files: number; hits: CanaryHit[] } {
  const files = filesUnder(root);
  return { files: files.length, hits: files.flatMap((path) => scanBytes(path, readFileSync(path), canaries)) };
}
