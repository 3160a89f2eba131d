import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { KeychainSecretStore, secretStoreKindFor, type SafeStorageLike } from '../../electron/main/keychainSecretStore';

/** Stands in for Electron's safeStorage (the binary cannot run here): AES-GCM under a key it keeps. */
function fakeSafeStorage(backend: string, available = true): SafeStorageLike {
  const key = randomBytes(32);
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptStringAsync: async (text) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptStringAsync: async (sealed) => {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return { result: Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8') };
    },
  };
}

const dir = mkdtempSync(join(tmpdir(), 'fieldrun-keychain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('choosing the key-storage port', () => {
  it('uses the passphrase file where Linux has only basic_text or cannot tell', () => {
    expect(secretStoreKindFor('linux', fakeSafeStorage('basic_text'))).toBe('passphrase-file');
    expect(secretStoreKindFor('linux', fakeSafeStorage('unknown'))).toBe('passphrase-file');
    expect(secretStoreKindFor('linux', { isEncryptionAvailable: () => true })).toBe('passphrase-file');
  });
  it('uses the keychain where a real one protects the key', () => {
    expect(secretStoreKindFor('linux', fakeSafeStorage('gnome_libsecret'))).toBe('os-keychain');
    expect(secretStoreKindFor('linux', fakeSafeStorage('kwallet6'))).toBe('os-keychain');
    expect(secretStoreKindFor('darwin', fakeSafeStorage('unknown'))).toBe('os-keychain');
    expect(secretStoreKindFor('win32', fakeSafeStorage('unknown'))).toBe('os-keychain');
  });
  it('uses the passphrase file wherever encryption is unavailable', () => {
    expect(secretStoreKindFor('darwin', fakeSafeStorage('unknown', false))).toBe('passphrase-file');
  });
});

describe('KeychainSecretStore', () => {
  it('keeps secrets only as ciphertext on disk and reads them back', async () => {
    const path = join(dir, 'a', 'keychain-secrets.json');
    const store = new KeychainSecretStore(fakeSafeStorage('gnome_libsecret'), path);
    const secret = Buffer.from('-----BEGIN OPENSSH PRIVATE KEY----- canary-7f3a');
    await Promise.all([store.set('signing-key', secret), store.set('other', Buffer.from('x'))]);
    expect(await store.get('signing-key')).toEqual(secret);
    expect(await store.get('missing')).toBeUndefined();
    const onDisk = readFileSync(path, 'utf8');
    expect(onDisk).not.toContain('canary-7f3a');
    expect(onDisk).not.toContain(secret.toString('base64'));
    await store.delete('signing-key');
    expect(await store.get('signing-key')).toBeUndefined();
    expect(await store.get('other')).toEqual(Buffer.from('x'));
  });

  it('refuses a damaged file with KEY_STORE_CORRUPT', async () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{"signing-key": 42}');
    await expect(new KeychainSecretStore(fakeSafeStorage('kwallet'), path).get('signing-key')).rejects.toMatchObject({ code: 'KEY_STORE_CORRUPT' });
  });
});
