// Where head office is, kept in the data folder as a small JSON file (read and replaced whole,
// atomically), and its password or token kept only through the key-storage port. The file holds
// nothing secret: it can be read, copied or attached to a support request.
import { randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../../shared/errors';
import { syncFolder, writeFileAtomic } from '../../fs/atomicFile';
import type { SecretStore } from '../../keys/secretStore';
import type { HeadOfficeAuth } from '../headOfficeConnection';

export const HEAD_OFFICE_FILE = 'head-office.json';
/** The key-store entry holding head office's password or token. */
export const HEAD_OFFICE_SECRET = 'head-office/credential';

// The settings file and the key-store entry are written one after the other, so a crash (or a
// second setup) between the two could pair one setup's address and user with another's secret.
// Both carry the same random credentialId, and the key-store entry the kind and user as well:
// a pair that does not belong together is "set head office up again", never a login with the
// wrong password that fails reports permanently.
const CredentialId = z.string().regex(/^[0-9a-f]{32}$/);

const SettingsFileSchema = z
  .object({
    version: z.literal(1),
    baseUrl: z.string().min(1),
    auth: z.discriminatedUnion('kind', [z.object({ kind: z.literal('basic'), user: z.string().min(1) }).strict(), z.object({ kind: z.literal('bearer') }).strict()]),
    companyCaPem: z.string().optional(),
    /** Names the key-store entry written with these settings. */
    credentialId: CredentialId,
    /** when the setup check passed for this address and these credentials */
    verifiedAt: z.string(),
  })
  .strict();
export type HeadOfficeSettings = z.infer<typeof SettingsFileSchema>;

const CredentialSchema = z.discriminatedUnion('kind', [
  z.object({ credentialId: CredentialId, kind: z.literal('basic'), user: z.string(), password: z.string() }).strict(),
  z.object({ credentialId: CredentialId, kind: z.literal('bearer'), token: z.string() }).strict(),
]);

/** A fresh id for a setup: written into the settings file and its key-store entry. */
export function newCredentialId(): string {
  return randomBytes(16).toString('hex');
}

export function settingsPath(dataDir: string): string {
  return join(dataDir, HEAD_OFFICE_FILE);
}

/** The settings as saved, or undefined when head office is not set up. */
export function readHeadOfficeSettings(dataDir: string): HeadOfficeSettings | undefined {
  const path = settingsPath(dataDir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AppError('STORE_IO_FAILED', `The head-office settings (${HEAD_OFFICE_FILE}) cannot be read. Check the data folder's permissions.`, { path });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = SettingsFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError('STORE_CORRUPT', `The head-office settings (${HEAD_OFFICE_FILE}) are not what Fieldrun wrote. Set head office up again in the sync settings.`, { path });
  }
  return parsed.data;
}

export async function writeHeadOfficeSettings(dataDir: string, settings: HeadOfficeSettings): Promise<void> {
  await writeFileAtomic(settingsPath(dataDir), `${JSON.stringify(SettingsFileSchema.parse(settings), null, 2)}\n`, 0o600);
}

/** Forgets the settings (durably: a crash must not bring them back); true when there were any. */
export async function removeHeadOfficeSettings(dataDir: string): Promise<boolean> {
  const path = settingsPath(dataDir);
  const existed = existsSync(path);
  rmSync(path, { force: true });
  if (existed) await syncFolder(dataDir);
  return existed;
}

/** Keeps head office's secret in the key store, with the kind, user and credentialId of the settings it belongs to. */
export async function saveCredential(secrets: SecretStore, credentialId: string, auth: HeadOfficeAuth): Promise<void> {
  const credential =
    auth.kind === 'basic' ? { credentialId, kind: 'basic' as const, user: auth.user, password: auth.password } : { credentialId, kind: 'bearer' as const, token: auth.token };
  const bytes = Buffer.from(JSON.stringify(credential), 'utf8');
  try {
    await secrets.set(HEAD_OFFICE_SECRET, bytes);
  } finally {
    bytes.fill(0);
  }
}

/** The credential for the saved settings, from the key store. */
export async function loadAuth(secrets: SecretStore, settings: HeadOfficeSettings): Promise<HeadOfficeAuth> {
  const bytes = await secrets.get(HEAD_OFFICE_SECRET);
  if (bytes === undefined) {
    throw new AppError('KEY_MISSING', 'The head-office password or token is not in the key store. Enter it again in the sync settings.');
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    json = undefined;
  } finally {
    bytes.fill(0);
  }
  const credential = CredentialSchema.safeParse(json);
  if (credential.success && credential.data.credentialId === settings.credentialId) {
    const found = credential.data;
    if (found.kind === 'basic' && settings.auth.kind === 'basic' && found.user === settings.auth.user) return { kind: 'basic', user: found.user, password: found.password };
    if (found.kind === 'bearer' && settings.auth.kind === 'bearer') return { kind: 'bearer', token: found.token };
  }
  throw new AppError(
    'SYNC_CONFIG_INVALID',
    'The head-office password or token in the key store belongs to another setup than the saved address and user (a setup was cut short). Set head office up again in the sync settings; queued reports wait until then.',
  );
}

/** Refuses a company CA that is not one PEM certificate, before anything is tried with it. */
export function checkCompanyCa(pem: string): string {
  try {
    new X509Certificate(pem);
  } catch {
    throw new AppError('SYNC_CONFIG_INVALID', 'The company CA is not a PEM certificate. Paste the whole certificate, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.');
  }
  return pem;
}
