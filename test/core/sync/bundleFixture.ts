// Small report bundles on disk, shaped like the real export (files plus a signature last), and a
// look at what the DAV server really holds on disk.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { BundleFile } from '../../../electron/core/sync/uploadBundle';

export const SIGNATURE_NAME = 'manifest.json.sig';

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Writes a bundle's files into `dir` and returns them with their hashes, signature last. */
export function writeBundle(dir: string, label: string, extraBytes = 0): BundleFile[] {
  mkdirSync(dir, { recursive: true });
  const contents: Record<string, Buffer> = {
    'report.json': Buffer.from(JSON.stringify({ report: label, outcome: 'succeeded' })),
    'journal.jsonl': Buffer.from(`{"seq":1,"label":"${label}"}\n{"seq":2}\n`.repeat(1 + extraBytes / 32)),
    'manifest.json': Buffer.from(JSON.stringify({ files: ['report.json', 'journal.jsonl'], label })),
    [SIGNATURE_NAME]: Buffer.from(`-----BEGIN SSH SIGNATURE-----\n${label}\n-----END SSH SIGNATURE-----\n`),
  };
  return Object.entries(contents).map(([name, data]) => {
    const localPath = join(dir, name);
    writeFileSync(localPath, data);
    return { name, localPath, sha256: sha256(data) };
  });
}

/** Every file path under the DAV root, relative to it. */
export function filesOnServer(davRoot: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(davRoot, path));
    }
  };
  walk(davRoot);
  return out.sort();
}

/** Our temporaries (`~fieldrun-tmp-…`) and anything hidden. */
export function temporariesOnServer(davRoot: string): string[] {
  return filesOnServer(davRoot).filter((p) => p.split('/').some((part) => part.startsWith('.') || part.startsWith('~')));
}
