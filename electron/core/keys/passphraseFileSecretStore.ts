import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson } from '../../../shared/canonicalJson';
import { AppError } from '../../../shared/errors';
import { removeStaleTempFiles, writeFileAtomic } from '../fs/atomicFile';
import { decryptSecretFile, encryptSecretFile, newFileKey, unlockFileKey, type SecretFileKey } from './secretFileFormat';
import type { SecretStore } from './secretStore';

/** Where the data folder keeps the passphrase-protected secrets. */
export function defaultSecretsPath(dataDir: string): string {
  return join(dataDir, 'keys', 'secrets.enc');
}

export const MIN_PASSPHRASE_LENGTH = 8;
const MAX_NAME_LENGTH = 200;


export interface OpenPassphraseFileInput {
  readonly path: string;
  readonly passphrase: string;
}

/**
 * Secrets in one file encrypted under a key derived from the technician's passphrase (see
 * secretFileFormat.ts). The derived key stays in memory while the store is open; each change
 * rewrites the whole file atomically with a fresh nonce.
 */
export class PassphraseFileSecretStore implements SecretStore {
  readonly kind = 'passphrase-file' as const;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly path: string,
    private key: SecretFileKey,
  ) {}

  /** Whether a store exists at `path`: the UI asks for a new passphrase (twice) or the existing one. */
  static exists(path: string): boolean {
    return existsSync(path);
  }

  /**
   * Opens the store at `path`, creating it (empty) when there is none. A wrong passphrase throws
   * KEY_PASSPHRASE_WRONG; a damaged file KEY_STORE_CORRUPT; a new store with a passphrase under
   * eight characters KEY_PASSPHRASE_WEAK.
   */
  static async open(input: OpenPassphraseFileInput): Promise<PassphraseFileSecretStore> {
    await removeStaleTempFiles(input.path);
    const file = await readIfPresent(input.path);
    if (file === undefined) {
      assertStrongEnough(input.passphrase);
      const store = new PassphraseFileSecretStore(input.path, await newFileKey(input.passphrase));
      await store.write(new Map());
      return store;
    }
    const key = await unlockFileKey(file, input.passphrase, input.path);
    const store = new PassphraseFileSecretStore(input.path, key);
    store.decode(file); // a damaged file is refused at open, not at first use
    return store;
  }

  get(name: string): Promise<Buffer | undefined> {
    assertName(name);
    return this.serialized(async () => {
      const value = (await this.read()).get(name);
      return value === undefined ? undefined : Buffer.from(value, 'base64');
    });
  }

  set(name: string, value: Buffer): Promise<void> {
    assertName(name);
    return this.serialized(async () => {
      const secrets = await this.read();
      secrets.set(name, value.toString('base64'));
      await this.write(secrets);
    });
  }

  delete(name: string): Promise<void> {
    assertName(name);
    return this.serialized(async () => {
      const secrets = await this.read();
      if (!secrets.delete(name)) return;
      await this.write(secrets);
    });
  }

  /** Re-encrypts everything under a new passphrase (new salt); the old one stops working. */
  changePassphrase(newPassphrase: string): Promise<void> {
    assertStrongEnough(newPassphrase);
    return this.serialized(async () => {
      const secrets = await this.read();
      this.key = await newFileKey(newPassphrase);
      await this.write(secrets);
    });
  }

  /** One operation at a time, so two concurrent sets cannot lose each other's write. */
  private serialized<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.queue.then(operation, operation);
    this.queue = next.catch(() => undefined);
    return next;
  }

  // A Map, not an object: a secret named "__proto__" must stay a secret.
  private async read(): Promise<Map<string, string>> {
    const file = await readIfPresent(this.path);
    if (file === undefined) {
      throw new AppError('KEY_MISSING', `The signing key store ${this.path} has disappeared. Restore it from a backup, or create or import the signing key again.`, { path: this.path });
    }
    return this.decode(file);
  }

  private decode(file: Buffer): Map<string, string> {
    const plaintext = decryptSecretFile(file, this.key, this.path);
    try {
      return secretsOf(JSON.parse(plaintext.toString('utf8')));
    } catch {
      throw new AppError('KEY_STORE_CORRUPT', `The signing key store ${this.path} decrypted to unexpected contents. Restore it from a backup.`, { path: this.path });
    } finally {
      plaintext.fill(0);
    }
  }

  private async write(secrets: ReadonlyMap<string, string>): Promise<void> {
    const plaintext = Buffer.from(canonicalJson({ secrets: Object.fromEntries(secrets) }), 'utf8');
    try {
      await writeFileAtomic(this.path, encryptSecretFile(plaintext, this.key));
    } finally {
      plaintext.fill(0);
    }
  }
}

/**
 * The decrypted contents, `{"secrets":{name: base64}}`, checked by hand: a schema library's
 * record parser assigns keys onto a plain object, where "__proto__" would vanish into the prototype.
 */
function secretsOf(json: unknown): Map<string, string> {
  if (typeof json !== 'object' || json === null || Object.keys(json).join() !== 'secrets') throw new Error('unexpected contents');
  const secrets: unknown = (json as { secrets: unknown }).secrets;
  if (typeof secrets !== 'object' || secrets === null || Array.isArray(secrets)) throw new Error('unexpected contents');
  const map = new Map<string, string>();
  for (const [name, value] of Object.entries(secrets)) {
    if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) throw new Error('unexpected contents');
    map.set(name, value);
  }
  return map;
}

async function readIfPresent(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function assertStrongEnough(passphrase: string): void {
  if ([...passphrase.normalize('NFC')].length < MIN_PASSPHRASE_LENGTH) {
    throw new AppError('KEY_PASSPHRASE_WEAK', `The passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters; a few words are easier to type and harder to guess.`, {
      minimumLength: MIN_PASSPHRASE_LENGTH,
    });
  }
}

function assertName(name: string): void {
  if (name === '' || name.length > MAX_NAME_LENGTH) {
    throw new AppError('INPUT_INVALID', `A secret name must have 1 to ${MAX_NAME_LENGTH} characters.`, { length: name.length });
  }
}
