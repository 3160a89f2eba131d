import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import { writeFileAtomic } from '../core/fs/atomicFile';
import type { SecretStore } from '../core/keys/secretStore';

/** The part of Electron's safeStorage the store uses (its async API: the sync one is deprecated). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  getSelectedStorageBackend?(): string;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string }>;
}

/**
 * Which key-storage port to use. On Linux without a keyring safeStorage falls back to
 * `basic_text` (a key hard-coded in Chromium: obfuscation, not protection), and `unknown` means
 * it could not tell: both get the passphrase-protected file instead.
 */
export function secretStoreKindFor(platform: NodeJS.Platform, safeStorage: Pick<SafeStorageLike, 'isEncryptionAvailable' | 'getSelectedStorageBackend'>): SecretStore['kind'] {
  if (!safeStorage.isEncryptionAvailable()) return 'passphrase-file';
  if (platform !== 'linux') return 'os-keychain';
  const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
  return backend === 'basic_text' || backend === 'unknown' ? 'passphrase-file' : 'os-keychain';
}

export function keychainSecretsPath(dataDir: string): string {
  return join(dataDir, 'keys', 'keychain-secrets.json');
}

/**
 * Secrets encrypted by the OS keychain (safeStorage), kept as one JSON file of ciphertexts in the
 * data folder; the key that opens them never leaves the keychain.
 */
export class KeychainSecretStore implements SecretStore {
  readonly kind = 'os-keychain' as const;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly safeStorage: SafeStorageLike,
    readonly path: string,
  ) {}

  async get(name: string): Promise<Buffer | undefined> {
    const sealed = (await this.read()).get(name);
    if (sealed === undefined) return undefined;
    const { result } = await this.safeStorage.decryptStringAsync(Buffer.from(sealed, 'base64'));
    return Buffer.from(result, 'base64');
  }

  set(name: string, value: Buffer): Promise<void> {
    return this.serially(async () => {
      const all = await this.read();
      all.set(name, (await this.safeStorage.encryptStringAsync(value.toString('base64'))).toString('base64'));
      await writeFileAtomic(this.path, JSON.stringify(Object.fromEntries(all)));
    });
  }

  delete(name: string): Promise<void> {
    return this.serially(async () => {
      const all = await this.read();
      if (!all.delete(name)) return;
      await writeFileAtomic(this.path, JSON.stringify(Object.fromEntries(all)));
    });
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async read(): Promise<Map<string, string>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) {
      throw new AppError('KEY_STORE_CORRUPT', `The keychain secrets file ${this.path} is damaged. Restore it from a backup or make a new signing key in Settings.`);
    }
    return new Map(Object.entries(parsed as Record<string, string>));
  }
}
