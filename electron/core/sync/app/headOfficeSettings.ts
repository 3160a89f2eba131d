// Where head office is, kept in the data folder as a small JSON file (read and replaced whole,
// atomically), and its password or token kept only through the key-storage port. The file holds
// nothing secret: it can be read, copied or attached to a support request.
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../../shared/errors';
import { writeFileAtomic } from '../../keys/atomicWrite';
import type { SecretStore } from '../../keys/secretStore';
import type { HeadOfficeAuth } from '../headOfficeConnection';

export const HEAD_OFFICE_FILE = 'head-office.json';
/** The key-store entry holding head office's password or token. */
export const HEAD_OFFICE_SECRET = 'head-office/credential';

const SettingsFileSchema = z
  .object({
    version: z.literal(1),
    baseUrl: z.string().min(1),
    auth: z.discriminatedUnion('kind', [z.object({ kind: z.literal('basic'), user: z.string().min(1) }).strict(), z.object({ kind: z.literal('bearer') }).strict()]),
    companyCaPem: z.string().optional(),
    /** when the setup check passed for this address and these credentials */
    verifiedAt: z.string(),
  })
  .strict();
export type HeadOfficeSettings = z.infer<typeof SettingsFileSchema>;

const CredentialSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('basic'), password: z.string() }).strict(),
  z.object({ kind: z.literal('bearer'), token: z.string() }).strict(),
]);

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

/** Forgets the settings; true when there were any. */
export function removeHeadOfficeSettings(dataDir: string): boolean {
  const path = settingsPath(dataDir);
  const existed = existsSync(path);
  rmSync(path, { force: true });
  return existed;
}

export async function saveCredential(secrets: SecretStore, auth: HeadOfficeAuth): Promise<void> {
  const credential = auth.kind === 'basic' ? { kind: 'basic' as const, password: auth.password } : { kind: 'bearer' as const, token: auth.token };
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
  if (!credential.success || credential.data.kind !== settings.auth.kind) {
    throw new AppError('KEY_MISSING', 'The head-office credential in the key store does not fit the saved settings. Enter it again in the sync settings.');
  }
  if (credential.data.kind === 'basic' && settings.auth.kind === 'basic') return { kind: 'basic', user: settings.auth.user, password: credential.data.password };
  if (credential.data.kind === 'bearer') return { kind: 'bearer', token: credential.data.token };
  throw new AppError('KEY_MISSING', 'The head-office credential in the key store does not fit the saved settings. Enter it again in the sync settings.');
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
