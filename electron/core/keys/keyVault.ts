import { rm } from 'node:fs/promises';
import { AppError } from '../../../shared/errors';
import { REPORT_NAMESPACE } from '../sshsig/namespaces';
import { readIdentityRecord } from './identityFile';
import { defaultSecretsPath, PassphraseFileSecretStore } from './passphraseFileSecretStore';
import type { SecretStore } from './secretStore';
import { loadOrCreateIdentity, type SigningIdentity } from './signingIdentity';

// The core's key vault: the one place that knows which SecretStore holds the technician's
// secrets this session, whether it is open, and the signing identity once it can sign. The
// Electron shell hands in the OS keychain store; without one (browser mode, tests, a Linux
// keychain that is only `basic_text`) the vault keeps a passphrase-protected file in the data
// folder, opened with the passphrase once per session and held open until the core closes.

export interface KeyVaultOptions {
  readonly dataDir: string;
  /** The OS keychain store; absent means a passphrase-protected file in the data folder. */
  readonly secretStore?: SecretStore;
  readonly now?: () => Date;
}

export interface KeyVaultStatus {
  /** missing: no signing key yet; locked: the passphrase file is not open this session; ready: can sign. */
  readonly state: 'missing' | 'locked' | 'ready';
  readonly storeKind: SecretStore['kind'];
  readonly technician: string | null;
  readonly fingerprint: string | null;
  readonly publicKey: string | null;
  readonly allowedSignersLine: string | null;
}

export class KeyVault {
  private store: SecretStore | undefined;
  private signing: SigningIdentity | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  readonly storeKind: SecretStore['kind'];
  private readonly secretsPath: string;

  constructor(private readonly options: KeyVaultOptions) {
    this.store = options.secretStore;
    this.storeKind = options.secretStore?.kind ?? 'passphrase-file';
    this.secretsPath = defaultSecretsPath(options.dataDir);
  }

  /** What the identity screen shows. A key lost from the OS keychain is an error (KEY_MISSING), not "missing": a new key would not match the reports already signed. */
  status(): Promise<KeyVaultStatus> {
    return this.serialized(async () => {
      const record = await readIdentityRecord(this.options.dataDir);
      if (record === undefined) return this.describe('missing', undefined);
      if (this.signing === undefined && this.store !== undefined) await this.loadIdentity(this.store, record.name);
      if (this.signing === undefined) {
        // The public half is in the identity file: the locked screen can show whose key it is.
        return {
          ...this.describe('locked', undefined),
          technician: record.name,
          fingerprint: record.fingerprint,
          publicKey: `${record.publicKey} ${record.name}`,
          allowedSignersLine: `${record.name} namespaces="${REPORT_NAMESPACE}" ${record.publicKey}`,
        };
      }
      return this.describe('ready', this.signing);
    });
  }

  /**
   * Makes the Ed25519 signing key on first use. With a passphrase file, `passphrase` opens it (or
   * creates it: at least eight characters); with the OS keychain no passphrase is needed.
   */
  create(technician: string, passphrase?: string): Promise<KeyVaultStatus> {
    return this.serialized(async () => {
      const existing = await readIdentityRecord(this.options.dataDir);
      if (existing !== undefined) {
        throw new AppError(
          'KEY_EXISTS',
          `A signing key already exists (${existing.fingerprint}, ${existing.name}); reports go on being signed with it. ${this.store === undefined ? 'Unlock it with its passphrase instead.' : ''}`.trim(),
          { fingerprint: existing.fingerprint },
        );
      }
      const fileIsNew = this.store === undefined && !PassphraseFileSecretStore.exists(this.secretsPath);
      const store = this.store ?? (await this.openFile(passphrase, 'create the signing key'));
      try {
        this.signing = await loadOrCreateIdentity({ store, dataDir: this.options.dataDir, name: technician, ...(this.options.now === undefined ? {} : { now: this.options.now }) });
      } catch (error) {
        // A refused name must not leave a store under this passphrase behind: the technician
        // may choose another passphrase on the next try, and would be locked out by this one.
        if (fileIsNew) {
          this.store = undefined;
          await rm(this.secretsPath, { force: true });
        }
        throw error;
      }
      return this.describe('ready', this.signing);
    });
  }

  /** Opens the passphrase file for this session. With the OS keychain there is nothing to unlock. */
  unlock(passphrase: string): Promise<KeyVaultStatus> {
    return this.serialized(async () => {
      if (this.store === undefined) {
        if (!PassphraseFileSecretStore.exists(this.secretsPath)) {
          throw new AppError('KEY_MISSING', 'There is no key store in this data folder yet. Create the signing key first, choosing its passphrase.', { store: this.storeKind });
        }
        // Opening an existing file checks the passphrase; it never creates one.
        this.store = await PassphraseFileSecretStore.open({ path: this.secretsPath, passphrase });
      }
      const record = await readIdentityRecord(this.options.dataDir);
      if (record === undefined) return this.describe('missing', undefined);
      if (this.signing === undefined) await this.loadIdentity(this.store, record.name);
      return this.describe('ready', this.signing);
    });
  }

  /**
   * The open store, for other secrets of the technician (head-office credentials). Throws
   * KEY_LOCKED while the passphrase file is not open, KEY_MISSING when there is none yet.
   */
  secretStore(): SecretStore {
    if (this.store !== undefined) return this.store;
    if (PassphraseFileSecretStore.exists(this.secretsPath)) {
      throw new AppError('KEY_LOCKED', 'The key store is locked. Unlock it with its passphrase (Settings, Identity), then try again.', { store: this.storeKind });
    }
    throw new AppError('KEY_MISSING', 'There is no key store in this data folder yet. Create the signing key first (Settings, Identity), choosing its passphrase.', { store: this.storeKind });
  }

  /** The signing identity, if it is loaded (created or unlocked this session). */
  identity(): SigningIdentity | undefined {
    return this.signing;
  }

  /** The identity to sign with, loading it from the OS keychain when needed; KEY_LOCKED or KEY_MISSING say what to do. */
  async signingIdentity(): Promise<SigningIdentity> {
    const status = await this.status();
    if (this.signing !== undefined) return this.signing;
    if (status.state === 'locked') {
      throw new AppError('KEY_LOCKED', 'The signing key is locked, so the report cannot be signed. Unlock it with its passphrase (Settings, Identity), then export again.', {
        store: this.storeKind,
      });
    }
    throw new AppError('KEY_MISSING', 'No signing key is set up in this Fieldrun, so the report cannot be signed. Create the technician key (Settings, Identity), then export again.', {
      store: this.storeKind,
    });
  }

  private async openFile(passphrase: string | undefined, what: string): Promise<SecretStore> {
    if (passphrase === undefined) {
      throw new AppError('KEY_LOCKED', `The key store is a passphrase-protected file: give its passphrase to ${what}.`, { store: this.storeKind });
    }
    const store = await PassphraseFileSecretStore.open({ path: this.secretsPath, passphrase });
    this.store = store;
    return store;
  }

  private async loadIdentity(store: SecretStore, name: string): Promise<void> {
    this.signing = await loadOrCreateIdentity({ store, dataDir: this.options.dataDir, name });
  }

  private describe(state: KeyVaultStatus['state'], identity: SigningIdentity | undefined): KeyVaultStatus {
    return {
      state,
      storeKind: this.storeKind,
      technician: identity?.name ?? null,
      fingerprint: identity?.fingerprint ?? null,
      publicKey: identity?.publicKey ?? null,
      allowedSignersLine: identity?.allowedSignersLine() ?? null,
    };
  }

  /** One change at a time: two unlocks typed at once must not open the file twice or race a create. */
  private serialized<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.queue.then(operation, operation);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
