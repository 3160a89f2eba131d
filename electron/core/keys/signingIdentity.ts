import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import { readKeyFile } from '../fs/keyFile';
import { REPORT_NAMESPACE } from '../sshsig/namespaces';
import type { NamespaceSigner } from '../sshsig/planSignature';
import { ed25519BlobOf, fingerprintOfBlob, publicKeyLineOfBlob } from '../sshsig/publicKeys';
import { readOpenSshPrivateKey } from '../sshsig/openSshPrivateKey';
import { signSshsig } from '../sshsig/signSshsig';
import { readIdentityRecord, writeIdentityRecord, type IdentityRecord } from './identityFile';
import type { SecretStore } from './secretStore';

/** The technician's signing key: public half shown and exported, private half only through the SecretStore. */
export interface SigningIdentity extends NamespaceSigner {
  /** The principal in allowed_signers, e.g. 'tech@example.com'. */
  readonly name: string;
  /** `ssh-ed25519 AAAA… tech@example.com`, the content of a `.pub` file. */
  readonly publicKey: string;
  /** `SHA256:…`, as `ssh-keygen -l` prints it. */
  readonly fingerprint: string;
  readonly origin: 'generated' | 'imported';
  readonly createdAt: string;
  /** `tech@example.com namespaces="fieldrun-report" ssh-ed25519 AAAA…` for head office's allowed_signers. */
  allowedSignersLine(namespaces?: readonly string[]): string;
  /** An armored SSH signature of `message` in `namespace`, as `ssh-keygen -Y sign` would make it. */
  sign(message: Buffer, namespace: string): string;
}

export interface LoadOrCreateIdentityInput {
  readonly store: SecretStore;
  readonly dataDir: string;
  /** The principal for a new identity; an existing identity is renamed to it when it differs. */
  readonly name: string;
  readonly now?: () => Date;
}

/**
 * The identity in `dataDir`, or a new Ed25519 one on first use. When the identity file exists but
 * its private key is not in the store, this throws KEY_MISSING rather than making a new key: a
 * silently replaced key would make every later report verify under a stranger's name.
 */
export async function loadOrCreateIdentity(input: LoadOrCreateIdentityInput): Promise<SigningIdentity> {
  assertPrincipal(input.name);
  const record = await readIdentityRecord(input.dataDir);
  if (record === undefined) {
    const { privateKey } = generateKeyPairSync('ed25519');
    return adopt({ ...input, privateKey, origin: 'generated', previous: undefined });
  }
  const privateKey = await loadPrivateKey(input.store, record);
  if (record.name === input.name) return identityOf(record, privateKey);
  const renamed: IdentityRecord = { ...record, name: input.name };
  await writeIdentityRecord(input.dataDir, renamed);
  return identityOf(renamed, privateKey);
}

export interface ImportExistingKeyInput {
  readonly store: SecretStore;
  readonly dataDir: string;
  /** An OpenSSH Ed25519 private key file, e.g. ~/.ssh/id_ed25519. */
  readonly path: string;
  readonly passphrase?: string;
  /** The principal; by default the key's comment. */
  readonly name?: string;
  readonly now?: () => Date;
}

/** Makes an existing SSH key the signing identity, replacing any previous one (whose secret is deleted from the store). */
export async function importExistingKey(input: ImportExistingKeyInput): Promise<SigningIdentity> {
  // Bounded like every key file a path names: never a FIFO or device that hangs the core, never a huge file.
  const text = (await readKeyFile(input.path)).toString('utf8');
  const key = readOpenSshPrivateKey(text, input.passphrase);
  const name = input.name ?? key.comment;
  if (name === '') throw new AppError('INPUT_INVALID', 'The key has no comment to take a name from. Give the name to sign as, such as tech@example.com.');
  assertPrincipal(name);
  const previous = await readIdentityRecord(input.dataDir);
  return adopt({ ...input, name, privateKey: key.privateKey, origin: 'imported', previous });
}

interface AdoptInput {
  readonly store: SecretStore;
  readonly dataDir: string;
  readonly name: string;
  readonly privateKey: KeyObject;
  readonly origin: IdentityRecord['origin'];
  readonly previous: IdentityRecord | undefined;
  readonly now?: () => Date;
}

/** Secret first, then the identity file, then the old secret: a crash at any point leaves a usable identity. */
async function adopt(input: AdoptInput): Promise<SigningIdentity> {
  const blob = ed25519BlobOf(input.privateKey);
  const fingerprint = fingerprintOfBlob(blob);
  const record: IdentityRecord = {
    version: 1,
    name: input.name,
    publicKey: publicKeyLineOfBlob(blob),
    fingerprint,
    origin: input.origin,
    createdAt: (input.now?.() ?? new Date()).toISOString(),
    secretName: `signing-key/${fingerprint}`,
  };
  const der = input.privateKey.export({ format: 'der', type: 'pkcs8' });
  try {
    await input.store.set(record.secretName, der);
  } finally {
    der.fill(0);
  }
  await writeIdentityRecord(input.dataDir, record);
  if (input.previous !== undefined && input.previous.secretName !== record.secretName) await input.store.delete(input.previous.secretName);
  return identityOf(record, input.privateKey);
}

async function loadPrivateKey(store: SecretStore, record: IdentityRecord): Promise<KeyObject> {
  const der = await store.get(record.secretName);
  if (der === undefined) {
    throw new AppError(
      'KEY_MISSING',
      `The private key of the signing identity ${record.fingerprint} (${record.name}) is not in the ${store.kind === 'os-keychain' ? 'OS keychain' : 'passphrase-protected key store'}. Restore that store, or import the key again; a new key would not match the reports already signed.`,
      { fingerprint: record.fingerprint, store: store.kind },
    );
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } finally {
    der.fill(0);
  }
  // The identity file is plain text anyone can edit; the key in the store is the truth.
  const blob = privateKey.asymmetricKeyType === 'ed25519' ? ed25519BlobOf(privateKey) : undefined;
  if (blob === undefined || publicKeyLineOfBlob(blob) !== record.publicKey || fingerprintOfBlob(blob) !== record.fingerprint) {
    throw new AppError('KEY_STORE_CORRUPT', `The signing identity file does not match the key in the store (expected ${record.fingerprint}). Import the signing key again.`, {
      fingerprint: record.fingerprint,
    });
  }
  return privateKey;
}

function identityOf(record: IdentityRecord, privateKey: KeyObject): SigningIdentity {
  return {
    name: record.name,
    publicKey: `${record.publicKey} ${record.name}`,
    fingerprint: record.fingerprint,
    origin: record.origin,
    createdAt: record.createdAt,
    allowedSignersLine(namespaces: readonly string[] = [REPORT_NAMESPACE]): string {
      if (namespaces.length === 0) throw new AppError('INPUT_INVALID', 'An allowed_signers line for Fieldrun names at least one namespace, such as fieldrun-report.');
      for (const namespace of namespaces) {
        if (namespace === '' || /[",\s\\]/.test(namespace)) throw new AppError('INPUT_INVALID', `"${namespace}" cannot be written as an allowed_signers namespace.`, { namespace });
      }
      return `${record.name} namespaces="${namespaces.join(',')}" ${record.publicKey}`;
    },
    sign(message: Buffer, namespace: string): string {
      return signSshsig({ message, namespace, privateKey });
    },
  };
}

/** A principal that allowed_signers holds as one plain pattern: no spaces, quotes, commas or wildcards. */
function assertPrincipal(name: string): void {
  if (name.length > 200 || !/^[^\s",*?!#][^\s",*?]*$/.test(name)) {
    throw new AppError('INPUT_INVALID', `"${name}" cannot be a signer name: use something like tech@example.com, without spaces, quotes, commas or wildcards.`, { name });
  }
}
