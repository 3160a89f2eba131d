import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { writeFileAtomic } from '../fs/atomicFile';

// The public half of the signing identity and where its private half is kept: plain JSON in the
// data folder. Nothing secret is in it.

export const IdentityRecord = z.strictObject({
  version: z.literal(1),
  name: z.string().min(1),
  /** `ssh-ed25519 AAAA…` without comment. */
  publicKey: z.string().startsWith('ssh-ed25519 '),
  fingerprint: z.string().startsWith('SHA256:'),
  origin: z.enum(['generated', 'imported']),
  createdAt: z.iso.datetime(),
  /** The SecretStore entry holding the private key (PKCS#8 DER). */
  secretName: z.string().min(1),
});
export type IdentityRecord = z.infer<typeof IdentityRecord>;

export function identityPath(dataDir: string): string {
  return join(dataDir, 'keys', 'identity.json');
}

export async function readIdentityRecord(dataDir: string): Promise<IdentityRecord | undefined> {
  const path = identityPath(dataDir);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = IdentityRecord.safeParse(json);
  if (!parsed.success) {
    throw new AppError('KEY_STORE_CORRUPT', `The signing identity file ${path} is damaged. Restore it from a backup, or import the signing key again.`, { path });
  }
  return parsed.data;
}

export async function writeIdentityRecord(dataDir: string, record: IdentityRecord): Promise<void> {
  await writeFileAtomic(identityPath(dataDir), `${JSON.stringify(record, null, 2)}\n`, 0o644);
}
