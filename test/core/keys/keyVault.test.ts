import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyVault } from '../../../electron/core/keys';
import { KeychainSecretStore, keychainSecretsPath, type SafeStorageLike } from '../../../electron/main/keychainSecretStore';
import { createCore } from '../../../electron/core/core';
import { scratchDir } from '../sshsig/sshKeygen';
import { codeOf } from '../../support/appErrorCode';

// The core's key vault: which store holds the technician's secrets this session, whether it is
// open, and the signing identity. Real files in a real data folder; the OS keychain is the one
// thing that cannot be had here (no Electron binary), so a stand-in for safeStorage seals values
// with AES-GCM under a key held in memory, the way the keychain holds its own.

const PASSPHRASE = 'vault passphrase for tests';

let scratch: ReturnType<typeof scratchDir>;
let counter = 0;
beforeAll(() => {
  scratch = scratchDir('key-vault');
});
afterAll(() => scratch.cleanup());

const freshDataDir = (): string => join(scratch.dir, `data-${++counter}`);


/** Stand-in for Electron's safeStorage (named as such): seals with a key that never touches disk. */
function standInSafeStorage(): SafeStorageLike {
  const key = randomBytes(32);
  return {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => 'gnome_libsecret',
    encryptStringAsync: (plainText) => {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      const sealed = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      return Promise.resolve(Buffer.concat([nonce, sealed, cipher.getAuthTag()]));
    },
    decryptStringAsync: (encrypted) => {
      const decipher = createDecipheriv('aes-256-gcm', key, encrypted.subarray(0, 12));
      decipher.setAuthTag(encrypted.subarray(encrypted.length - 16));
      return Promise.resolve({ result: Buffer.concat([decipher.update(encrypted.subarray(12, encrypted.length - 16)), decipher.final()]).toString('utf8') });
    },
  };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

describe('the key vault with a passphrase-protected file (browser mode, tests, a basic_text keychain)', () => {
  it('creates the key on first use with a passphrase, keeps it only encrypted, and asks for the passphrase again in the next session', async () => {
    const dataDir = freshDataDir();
    const first = new KeyVault({ dataDir });
    expect(await first.status()).toEqual({ state: 'missing', storeKind: 'passphrase-file', technician: null, fingerprint: null, publicKey: null, allowedSignersLine: null });
    expect(await codeOf(() => first.secretStore())).toBe('KEY_MISSING');
    expect(await codeOf(() => first.signingIdentity())).toBe('KEY_MISSING');
    expect(await codeOf(() => first.unlock(PASSPHRASE))).toBe('KEY_MISSING');
    expect(await codeOf(() => first.create('tech@example.com'))).toBe('KEY_LOCKED');
    expect(await codeOf(() => first.create('tech@example.com', 'short'))).toBe('KEY_PASSPHRASE_WEAK');

    const created = await first.create('tech@example.com', PASSPHRASE);
    expect(created).toMatchObject({ state: 'ready', storeKind: 'passphrase-file', technician: 'tech@example.com' });
    expect(created.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(created.allowedSignersLine).toBe(`tech@example.com namespaces="fieldrun-report" ${created.publicKey!.split(' ').slice(0, 2).join(' ')}`);
    expect((await first.signingIdentity()).fingerprint).toBe(created.fingerprint);
    expect(first.secretStore().kind).toBe('passphrase-file');
    expect(await codeOf(() => first.create('other@example.com', PASSPHRASE))).toBe('KEY_EXISTS');

    // The private key is in the data folder only encrypted: neither its DER nor its seed shows in any file.
    const der = await first.secretStore().get(`signing-key/${created.fingerprint!}`);
    expect(der?.length).toBe(48);
    const forms = [der!, der!.subarray(16), Buffer.from(der!.toString('base64')), Buffer.from(der!.subarray(16).toString('base64'))];
    for (const path of filesUnder(dataDir)) {
      const bytes = readFileSync(path);
      for (const form of forms) expect(bytes.includes(form), `${path} holds the private key`).toBe(false);
    }

    // The next session: the public half is shown, the private half waits for the passphrase.
    const second = new KeyVault({ dataDir });
    expect(await second.status()).toEqual({ ...created, state: 'locked' });
    expect(second.identity()).toBeUndefined();
    expect(await codeOf(() => second.secretStore())).toBe('KEY_LOCKED');
    expect(await codeOf(() => second.signingIdentity())).toBe('KEY_LOCKED');
    expect(await codeOf(() => second.unlock('not the passphrase'))).toBe('KEY_PASSPHRASE_WRONG');
    expect((await second.status()).state).toBe('locked');
    expect(await second.unlock(PASSPHRASE)).toEqual(created);
    expect(second.identity()?.fingerprint).toBe(created.fingerprint);
  });

  it('keeps no store behind when the name is refused, so the passphrase chosen on the next try is the one that opens it', async () => {
    const dataDir = freshDataDir();
    const vault = new KeyVault({ dataDir });
    expect(await codeOf(() => vault.create('Tess Tech', 'first passphrase tried'))).toBe('INPUT_INVALID');
    expect((await vault.status()).state).toBe('missing');
    expect(await codeOf(() => vault.secretStore())).toBe('KEY_MISSING');
    const created = await vault.create('tess@example.com', PASSPHRASE);
    expect(await codeOf(() => new KeyVault({ dataDir }).unlock('first passphrase tried'))).toBe('KEY_PASSPHRASE_WRONG');
    expect(await new KeyVault({ dataDir }).unlock(PASSPHRASE)).toEqual(created);
  });

  it('lets two unlocks typed at once both succeed on one open store', async () => {
    const dataDir = freshDataDir();
    await new KeyVault({ dataDir }).create('tech@example.com', PASSPHRASE);
    const vault = new KeyVault({ dataDir });
    const [a, b] = await Promise.all([vault.unlock(PASSPHRASE), vault.unlock(PASSPHRASE)]);
    expect(a.state).toBe('ready');
    expect(b).toEqual(a);
  });

  it('keeps other secrets of the technician (head-office credentials) in the same store once unlocked', async () => {
    const dataDir = freshDataDir();
    const vault = new KeyVault({ dataDir });
    await vault.create('tech@example.com', PASSPHRASE);
    await vault.secretStore().set('head-office/password', Buffer.from('hq-secret-value'));
    const next = new KeyVault({ dataDir });
    await next.unlock(PASSPHRASE);
    expect((await next.secretStore().get('head-office/password'))?.toString()).toBe('hq-secret-value');
  });
});

describe('the key vault with the OS keychain (desktop)', () => {
  it('creates the key without a passphrase and signs in the next session without an unlock', async () => {
    const dataDir = freshDataDir();
    const safeStorage = standInSafeStorage();
    const keychain = new KeychainSecretStore(safeStorage, keychainSecretsPath(dataDir));
    const vault = new KeyVault({ dataDir, secretStore: keychain });
    expect((await vault.status()).state).toBe('missing');
    const created = await vault.create('tech@example.com');
    expect(created).toMatchObject({ state: 'ready', storeKind: 'os-keychain' });

    const next = new KeyVault({ dataDir, secretStore: new KeychainSecretStore(safeStorage, keychainSecretsPath(dataDir)) });
    expect(await next.status()).toEqual(created);
    expect(await next.unlock(PASSPHRASE)).toEqual(created);
    const identity = await next.signingIdentity();
    expect(identity.sign(Buffer.from('manifest'), 'fieldrun-report')).toContain('BEGIN SSH SIGNATURE');
  });

  it('says KEY_MISSING, never makes a new key, when the keychain lost the private key', async () => {
    const dataDir = freshDataDir();
    const safeStorage = standInSafeStorage();
    const keychain = new KeychainSecretStore(safeStorage, keychainSecretsPath(dataDir));
    const { fingerprint } = await new KeyVault({ dataDir, secretStore: keychain }).create('tech@example.com');
    await keychain.delete(`signing-key/${fingerprint!}`);
    const next = new KeyVault({ dataDir, secretStore: keychain });
    expect(await codeOf(() => next.status())).toBe('KEY_MISSING');
    expect(await codeOf(() => next.signingIdentity())).toBe('KEY_MISSING');
    expect(await codeOf(() => next.create('tech@example.com'))).toBe('KEY_EXISTS');
  });
});

describe('identity methods and report signing through dispatch', () => {
  it('creates, locks with the next core, unlocks, and signs exports with the vault identity', async () => {
    const dataDir = freshDataDir();
    let core = createCore({ dataDir, strictOutputs: true });
    try {
      const missing = await core.dispatch('identity.get', {});
      expect(missing).toEqual({ ok: true, value: expect.objectContaining({ state: 'missing', storeKind: 'passphrase-file' }) });
      const weak = await core.dispatch('identity.create', { technician: 'tech@example.com', passphrase: 'short' });
      expect(weak.ok === false && weak.error.code).toBe('INPUT_INVALID');
      const spaced = await core.dispatch('identity.create', { technician: 'Tess Tech', passphrase: PASSPHRASE });
      expect(spaced.ok === false && spaced.error.code).toBe('INPUT_INVALID');
      const created = await core.dispatch('identity.create', { technician: 'tech@example.com', passphrase: PASSPHRASE });
      expect(created).toEqual({ ok: true, value: expect.objectContaining({ state: 'ready', technician: 'tech@example.com' }) });
      expect(core.vault.identity()?.name).toBe('tech@example.com');
    } finally {
      core.close();
    }
    core = createCore({ dataDir, strictOutputs: true });
    try {
      expect(await core.dispatch('identity.get', {})).toEqual({ ok: true, value: expect.objectContaining({ state: 'locked' }) });
      // Export of an unknown run while locked: the key is asked for first, so the message says to unlock.
      const locked = await core.dispatch('reports.export', { runId: 'no-such-run' });
      expect(locked.ok === false && locked.error.code).toBe('KEY_LOCKED');
      const wrong = await core.dispatch('identity.unlock', { passphrase: 'wrong passphrase' });
      expect(wrong.ok === false && wrong.error.code).toBe('KEY_PASSPHRASE_WRONG');
      expect(await core.dispatch('identity.unlock', { passphrase: PASSPHRASE })).toEqual({ ok: true, value: expect.objectContaining({ state: 'ready' }) });
      const unknownRun = await core.dispatch('reports.export', { runId: 'no-such-run' });
      expect(unknownRun.ok === false && unknownRun.error.code).toBe('RUN_NOT_FOUND');
    } finally {
      core.close();
    }
    // Nothing the vault wrote holds the passphrase.
    const digest = createHash('sha256').update(PASSPHRASE).digest();
    for (const path of filesUnder(dataDir)) {
      const bytes = readFileSync(path);
      expect(bytes.includes(Buffer.from(PASSPHRASE)) || bytes.includes(digest), path).toBe(false);
    }
  });
});
