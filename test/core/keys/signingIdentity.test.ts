import { spawnSync } from 'node:child_process';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PLAN_NAMESPACE,
  PassphraseFileSecretStore,
  REPORT_NAMESPACE,
  defaultSecretsPath,
  identityPath,
  importExistingKey,
  loadOrCreateIdentity,
  type SigningIdentity,
} from '../../../electron/core/keys';
import { readOpenSshPrivateKey, verifyPlanSignature, verifyWithAllowedSigners } from '../../../electron/core/sshsig';
import { makeKey, mustSucceed, scratchDir, sshKeygen, sshKeygenSign, sshKeygenVerify } from '../sshsig/sshKeygen';
import { codeOf } from '../../support/appErrorCode';

const PASSPHRASE = 'correct horse battery staple';
const manifest = Buffer.from('{"files":[],"journalHead":"00","runId":"r-1"}');

let scratch: ReturnType<typeof scratchDir>;
beforeAll(() => {
  scratch = scratchDir('identity');
});
afterAll(() => scratch.cleanup());

let counter = 0;
async function freshDataDir(): Promise<{ dataDir: string; store: PassphraseFileSecretStore }> {
  const dataDir = join(scratch.dir, `data-${++counter}`);
  mkdirSync(dataDir);
  return { dataDir, store: await PassphraseFileSecretStore.open({ path: defaultSecretsPath(dataDir), passphrase: PASSPHRASE }) };
}


function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

/** Every form a private key could leak in: raw seed, its encodings, PKCS#8 DER and PEM. */
function leakForms(privateKey: KeyObject): Buffer[] {
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  const pemBody = (privateKey.export({ format: 'pem', type: 'pkcs8' }) as string).split('\n')[1]!;
  return [seed, der, ...[seed.toString('base64'), seed.toString('base64url'), seed.toString('hex'), seed.toString('hex').toUpperCase(), der.toString('base64'), pemBody].map((form) => Buffer.from(form))];
}

function keyOf(identity: SigningIdentity, store: PassphraseFileSecretStore): Promise<KeyObject> {
  return store.get(`signing-key/${identity.fingerprint}`).then((der) => createPrivateKey({ key: der!, format: 'der', type: 'pkcs8' }));
}

describe('loadOrCreateIdentity', () => {
  it('makes an Ed25519 key on first use and the same identity ever after', async () => {
    const { dataDir, store } = await freshDataDir();
    const created = await loadOrCreateIdentity({ store, dataDir, name: 'tech@example.com' });
    expect(created.origin).toBe('generated');
    expect(created.publicKey).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43} tech@example\.com$/);

    const reopenedStore = await PassphraseFileSecretStore.open({ path: defaultSecretsPath(dataDir), passphrase: PASSPHRASE });
    const loaded = await loadOrCreateIdentity({ store: reopenedStore, dataDir, name: 'tech@example.com' });
    expect(loaded.fingerprint).toBe(created.fingerprint);
    expect(loaded.publicKey).toBe(created.publicKey);
    expect(loaded.sign(manifest, REPORT_NAMESPACE)).toBe(created.sign(manifest, REPORT_NAMESPACE));

    // The fingerprint is what ssh-keygen -l prints for the exported public key.
    const pub = join(dataDir, 'exported.pub');
    writeFileSync(pub, `${created.publicKey}\n`);
    expect(mustSucceed(sshKeygen(['-l', '-f', pub]), 'ssh-keygen -l').stdout).toContain(` ${created.fingerprint} tech@example.com (ED25519)`);
  });

  it('exports an allowed_signers line that ssh-keygen -Y verify accepts for reports, and refuses for plans', async () => {
    const { dataDir, store } = await freshDataDir();
    const identity = await loadOrCreateIdentity({ store, dataDir, name: 'tech@example.com' });
    const line = identity.allowedSignersLine([REPORT_NAMESPACE]);
    expect(line).toBe(`tech@example.com namespaces="fieldrun-report" ${identity.publicKey.split(' ').slice(0, 2).join(' ')}`);
    expect(identity.allowedSignersLine()).toBe(line);

    const report = identity.sign(manifest, REPORT_NAMESPACE);
    const openssh = sshKeygenVerify(scratch.dir, { allowedSigners: `${line}\n`, identity: 'tech@example.com', namespace: REPORT_NAMESPACE, armored: report, message: manifest });
    expect(openssh.status, openssh.stderr).toBe(0);
    expect(verifyWithAllowedSigners({ message: manifest, armored: report, namespace: REPORT_NAMESPACE, allowedSigners: line, identity: 'tech@example.com' })).toMatchObject({ ok: true });

    // A report signature must never pass as a plan signature, with either tool.
    const both = identity.allowedSignersLine([REPORT_NAMESPACE, PLAN_NAMESPACE]);
    expect(verifyPlanSignature({ planBytes: manifest, armored: report, trustedSigners: both })).toMatchObject({ status: 'invalid', code: 'SIGNATURE_NAMESPACE_MISMATCH' });
    expect(sshKeygenVerify(scratch.dir, { allowedSigners: `${both}\n`, identity: 'tech@example.com', namespace: PLAN_NAMESPACE, armored: report, message: manifest }).status).not.toBe(0);
    // And a plan signature by the same key is not a report signature under a report-only line.
    const plan = identity.sign(manifest, PLAN_NAMESPACE);
    expect(sshKeygenVerify(scratch.dir, { allowedSigners: `${line}\n`, identity: 'tech@example.com', namespace: PLAN_NAMESPACE, armored: plan, message: manifest }).status).not.toBe(0);
    expect(verifyPlanSignature({ planBytes: manifest, armored: plan, trustedSigners: line })).toMatchObject({ status: 'valid-untrusted' });
  });

  it('refuses to invent a new key when the private half is gone (KEY_MISSING)', async () => {
    const { dataDir, store } = await freshDataDir();
    const identity = await loadOrCreateIdentity({ store, dataDir, name: 'tech@example.com' });
    await store.delete(`signing-key/${identity.fingerprint}`);
    expect(await codeOf(() => loadOrCreateIdentity({ store, dataDir, name: 'tech@example.com' }))).toBe('KEY_MISSING');
    expect(JSON.parse(readFileSync(identityPath(dataDir), 'utf8'))).toMatchObject({ fingerprint: identity.fingerprint });
  });

  it('refuses an identity file edited to claim another key (KEY_STORE_CORRUPT)', async () => {
    const { dataDir, store } = await freshDataDir();
    await loadOrCreateIdentity({ store, dataDir, name: 'tech@example.com' });
    const other = await freshDataDir();
    const stranger = await loadOrCreateIdentity({ store: other.store, dataDir: other.dataDir, name: 'mallory@example.com' });
    const record = JSON.parse(readFileSync(identityPath(dataDir), 'utf8')) as Record<string, unknown>;
    writeFileSync(identityPath(dataDir), JSON.stringify({ ...record, publicKey: stranger.publicKey.split(' ').slice(0, 2).join(' ') }));
    expect(await codeOf(() => loadOrCreateIdentity({ store, dataDir, name: 'tech@example.com' }))).toBe('KEY_STORE_CORRUPT');
    writeFileSync(identityPath(dataDir), '{ not json');
    expect(await codeOf(() => loadOrCreateIdentity({ store, dataDir, name: 'tech@example.com' }))).toBe('KEY_STORE_CORRUPT');
  });

  it('keeps the key when the technician changes the name', async () => {
    const { dataDir, store } = await freshDataDir();
    const first = await loadOrCreateIdentity({ store, dataDir, name: 'tech@example.com' });
    const renamed = await loadOrCreateIdentity({ store, dataDir, name: 'j.doe@example.com' });
    expect(renamed.fingerprint).toBe(first.fingerprint);
    expect(renamed.allowedSignersLine()).toMatch(/^j\.doe@example\.com namespaces="fieldrun-report" ssh-ed25519 /);
  });

  it('refuses names that allowed_signers would read as patterns or several fields', async () => {
    const { dataDir, store } = await freshDataDir();
    for (const name of ['', 'two words', '*@example.com', 'a,b', '"quoted"', '!negated', '#comment']) {
      expect(await codeOf(() => loadOrCreateIdentity({ store, dataDir, name })), name).toBe('INPUT_INVALID');
    }
  });
});

describe('importExistingKey', () => {
  it('adopts a passphrase-protected OpenSSH key: same signatures as ssh-keygen, name from its comment', async () => {
    const { dataDir, store } = await freshDataDir();
    const key = makeKey(scratch.dir, 'existing', { passphrase: 'my ssh passphrase', comment: 'tech@example.com' });
    expect(await codeOf(() => importExistingKey({ store, dataDir, path: key.privatePath }))).toBe('SSH_PASSPHRASE_REQUIRED');
    expect(await codeOf(() => importExistingKey({ store, dataDir, path: key.privatePath, passphrase: 'not it' }))).toBe('KEY_PASSPHRASE_WRONG');
    expect(await codeOf(() => importExistingKey({ store, dataDir, path: join(scratch.dir, 'no-such-key') }))).toBe('SSH_KEY_INVALID');

    const identity = await importExistingKey({ store, dataDir, path: key.privatePath, passphrase: 'my ssh passphrase' });
    expect(identity).toMatchObject({ name: 'tech@example.com', origin: 'imported', publicKey: key.publicLine });

    const clearCopy = `${key.privatePath}-clear`;
    copyFileSync(key.privatePath, clearCopy);
    mustSucceed(sshKeygen(['-p', '-f', clearCopy, '-P', 'my ssh passphrase', '-N', '']), 'ssh-keygen -p');
    expect(identity.sign(manifest, REPORT_NAMESPACE)).toBe(sshKeygenSign(clearCopy, REPORT_NAMESPACE, manifest));

    const reloaded = await loadOrCreateIdentity({ store, dataDir, name: 'tech@example.com' });
    expect(reloaded).toMatchObject({ fingerprint: identity.fingerprint, origin: 'imported' });
  });

  it('refuses a FIFO, a device and an oversized file at once instead of hanging or filling memory, and keeps the identity it had', async () => {
    const { dataDir, store } = await freshDataDir();
    const before = await loadOrCreateIdentity({ store, dataDir, name: 'tech@example.com' });
    const fifo = join(scratch.dir, 'key-fifo');
    mustSucceed(spawnSync('mkfifo', [fifo], { encoding: 'utf8' }), 'mkfifo');
    const huge = join(scratch.dir, 'huge-key');
    writeFileSync(huge, Buffer.alloc(2 * 1024 * 1024, 0x41));
    for (const path of [fifo, '/dev/zero', huge]) {
      const started = performance.now();
      expect(await codeOf(() => importExistingKey({ store, dataDir, path }))).toBe('SSH_KEY_INVALID');
      expect(performance.now() - started).toBeLessThan(5_000);
    }
    expect((await loadOrCreateIdentity({ store, dataDir, name: 'tech@example.com' })).fingerprint).toBe(before.fingerprint);
  });

  it('replaces a generated identity and removes its private key from the store', async () => {
    const { dataDir, store } = await freshDataDir();
    const generated = await loadOrCreateIdentity({ store, dataDir, name: 'tech@example.com' });
    const key = makeKey(scratch.dir, 'replacement', { comment: 'laptop' });
    const imported = await importExistingKey({ store, dataDir, path: key.privatePath, name: 'tech@example.com' });
    expect(imported.fingerprint).not.toBe(generated.fingerprint);
    expect(await store.get(`signing-key/${generated.fingerprint}`)).toBeUndefined();
    expect((await loadOrCreateIdentity({ store, dataDir, name: 'tech@example.com' })).fingerprint).toBe(imported.fingerprint);
  });

  it('refuses an RSA key by name', async () => {
    const { dataDir, store } = await freshDataDir();
    const rsa = makeKey(scratch.dir, 'old-rsa', { type: 'rsa', bits: 2048 });
    expect(await codeOf(() => importExistingKey({ store, dataDir, path: rsa.privatePath }))).toBe('KEY_UNSUPPORTED');
  });
});

describe('canary: no private key material in clear in the data folder', () => {
  it('after creating, signing, reloading and importing, no file holds the keys in any encoding', async () => {
    const { dataDir, store } = await freshDataDir();
    const generated = await loadOrCreateIdentity({ store, dataDir, name: 'tech@example.com' });
    generated.sign(manifest, REPORT_NAMESPACE);
    const generatedKey = await keyOf(generated, store);
    await loadOrCreateIdentity({ store, dataDir, name: 'tech@example.com' });

    const existing = makeKey(scratch.dir, 'canary-import', { passphrase: 'my ssh passphrase', comment: 'tech@example.com' });
    const imported = await importExistingKey({ store, dataDir, path: existing.privatePath, passphrase: 'my ssh passphrase' });
    imported.sign(manifest, PLAN_NAMESPACE);
    const importedKey = readOpenSshPrivateKey(readFileSync(existing.privatePath, 'utf8'), 'my ssh passphrase').privateKey;

    const forms = [...leakForms(generatedKey), ...leakForms(importedKey), Buffer.from(PASSPHRASE), Buffer.from('my ssh passphrase')];
    const files = filesUnder(dataDir);
    expect(files.map((path) => path.slice(dataDir.length + 1)).sort()).toEqual(['keys/identity.json', 'keys/secrets.enc']);
    for (const path of files) {
      const bytes = readFileSync(path);
      for (const [index, form] of forms.entries()) expect(bytes.includes(form), `${path} holds leak form #${index}`).toBe(false);
    }
  });
});
