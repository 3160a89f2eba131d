import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassphraseFileSecretStore } from '../../../electron/core/keys';
import { scratchDir } from '../sshsig/sshKeygen';
import { codeOf } from '../../support/appErrorCode';

const PASSPHRASE = 'correct horse battery staple';

let scratch: ReturnType<typeof scratchDir>;
beforeAll(() => {
  scratch = scratchDir('secret-store');
});
afterAll(() => scratch.cleanup());

let counter = 0;
function freshPath(): string {
  return join(scratch.dir, `store-${++counter}`, 'keys', 'secrets.enc');
}


describe('PassphraseFileSecretStore', () => {
  it('keeps secrets across reopening, in one 0600 file, with no temp files left behind', async () => {
    const path = freshPath();
    expect(PassphraseFileSecretStore.exists(path)).toBe(false);
    const store = await PassphraseFileSecretStore.open({ path, passphrase: PASSPHRASE });
    expect(store.kind).toBe('passphrase-file');
    const secret = randomBytes(48);
    await store.set('signing-key/one', secret);
    await store.set('other', Buffer.from('second'));
    await store.delete('other');
    await store.delete('never-there');
    expect(await store.get('signing-key/one')).toEqual(secret);
    expect(await store.get('other')).toBeUndefined();

    const reopened = await PassphraseFileSecretStore.open({ path, passphrase: PASSPHRASE });
    expect(await reopened.get('signing-key/one')).toEqual(secret);
    expect(PassphraseFileSecretStore.exists(path)).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(path, '..'))).toEqual(['secrets.enc']);
  });

  it('never holds a secret in clear: not raw, base64 or hex', async () => {
    const path = freshPath();
    const store = await PassphraseFileSecretStore.open({ path, passphrase: PASSPHRASE });
    const secret = randomBytes(32);
    await store.set('k', secret);
    const file = readFileSync(path);
    const text = file.toString('latin1');
    expect(file.includes(secret)).toBe(false);
    for (const form of [secret.toString('base64'), secret.toString('base64url'), secret.toString('hex'), secret.toString('hex').toUpperCase(), PASSPHRASE]) {
      expect(text.includes(form)).toBe(false);
    }
  });

  it('refuses a wrong passphrase with KEY_PASSPHRASE_WRONG and leaves the file untouched', async () => {
    const path = freshPath();
    const store = await PassphraseFileSecretStore.open({ path, passphrase: PASSPHRASE });
    await store.set('k', Buffer.from('v'));
    const before = readFileSync(path);
    expect(await codeOf(() => PassphraseFileSecretStore.open({ path, passphrase: 'Correct horse battery staple' }))).toBe('KEY_PASSPHRASE_WRONG');
    expect(readFileSync(path)).toEqual(before);
  });

  it('matches a passphrase typed in another Unicode normal form', async () => {
    const path = freshPath();
    const composed = 'mot de passe très sûr';
    const store = await PassphraseFileSecretStore.open({ path, passphrase: composed });
    await store.set('k', Buffer.from('v'));
    const reopened = await PassphraseFileSecretStore.open({ path, passphrase: composed.normalize('NFD') });
    expect(await reopened.get('k')).toEqual(Buffer.from('v'));
  });

  it('refuses to create a store under a passphrase shorter than eight characters', async () => {
    const path = freshPath();
    expect(await codeOf(() => PassphraseFileSecretStore.open({ path, passphrase: 'short' }))).toBe('KEY_PASSPHRASE_WEAK');
    expect(existsSync(path)).toBe(false);
  });

  it('tells a damaged file (KEY_STORE_CORRUPT) and a newer format (KEY_STORE_TOO_NEW) from a wrong passphrase', async () => {
    const path = freshPath();
    const store = await PassphraseFileSecretStore.open({ path, passphrase: PASSPHRASE });
    await store.set('k', randomBytes(48));
    const good = readFileSync(path);
    const damage = async (edit: (bytes: Buffer) => Buffer): Promise<string | undefined> => {
      writeFileSync(path, edit(Buffer.from(good)));
      return codeOf(() => PassphraseFileSecretStore.open({ path, passphrase: PASSPHRASE }));
    };
    const flip = (offset: number) => (bytes: Buffer) => {
      const at = offset < 0 ? bytes.length + offset : offset;
      bytes[at] = bytes[at]! ^ 0x01;
      return bytes;
    };
    expect(await damage(flip(-1)), 'tag').toBe('KEY_STORE_CORRUPT');
    expect(await damage(flip(-30)), 'ciphertext').toBe('KEY_STORE_CORRUPT');
    expect(await damage(flip(80)), 'nonce').toBe('KEY_STORE_CORRUPT');
    expect(await damage(flip(0)), 'magic').toBe('KEY_STORE_CORRUPT');
    expect(await damage((bytes) => bytes.subarray(0, 40)), 'truncated').toBe('KEY_STORE_CORRUPT');
    expect(await damage(() => Buffer.alloc(0)), 'empty').toBe('KEY_STORE_CORRUPT');
    expect(await damage((bytes) => (bytes.writeUInt8(2, 8), bytes)), 'version').toBe('KEY_STORE_TOO_NEW');
    expect(await damage((bytes) => (bytes.writeUInt8(40, 10), bytes)), 'absurd scrypt cost').toBe('KEY_STORE_CORRUPT');
    writeFileSync(path, good);
    expect(await codeOf(() => PassphraseFileSecretStore.open({ path, passphrase: PASSPHRASE }))).toBeUndefined();
  });

  it('loses no write when changes race', async () => {
    const store = await PassphraseFileSecretStore.open({ path: freshPath(), passphrase: PASSPHRASE });
    const values = Array.from({ length: 20 }, (_, i) => Buffer.from(`value-${i}`));
    await Promise.all(values.map((value, i) => store.set(`name-${i}`, value)));
    for (const [i, value] of values.entries()) expect(await store.get(`name-${i}`)).toEqual(value);
  });

  it('keeps odd names apart from the object model ("__proto__", "constructor")', async () => {
    const store = await PassphraseFileSecretStore.open({ path: freshPath(), passphrase: PASSPHRASE });
    await store.set('__proto__', Buffer.from('a'));
    await store.set('constructor', Buffer.from('b'));
    expect(await store.get('__proto__')).toEqual(Buffer.from('a'));
    expect(await store.get('constructor')).toEqual(Buffer.from('b'));
    expect(await store.get('toString')).toBeUndefined();
  });

  it('changes the passphrase: the old one stops working, the secrets stay', async () => {
    const path = freshPath();
    const store = await PassphraseFileSecretStore.open({ path, passphrase: PASSPHRASE });
    await store.set('k', Buffer.from('kept'));
    await store.changePassphrase('a different long passphrase');
    expect(await store.get('k')).toEqual(Buffer.from('kept'));
    expect(await codeOf(() => PassphraseFileSecretStore.open({ path, passphrase: PASSPHRASE }))).toBe('KEY_PASSPHRASE_WRONG');
    const reopened = await PassphraseFileSecretStore.open({ path, passphrase: 'a different long passphrase' });
    expect(await reopened.get('k')).toEqual(Buffer.from('kept'));
  });

  it('survives a writer killed mid-write: the file always opens, holding a complete earlier state', async () => {
    const path = freshPath();
    const writer = join(scratch.dir, 'writer.mts');
    const storeModule = join(process.cwd(), 'electron/core/keys/passphraseFileSecretStore.ts');
    writeFileSync(
      writer,
      `import { PassphraseFileSecretStore } from ${JSON.stringify(storeModule)};
const store = await PassphraseFileSecretStore.open({ path: process.argv[2]!, passphrase: ${JSON.stringify(PASSPHRASE)} });
process.stdout.write('ready\\n');
for (let i = 0; ; i++) await store.set('counter', Buffer.from(String(i)));
`,
    );
    let writes = 0;
    for (let round = 0; round < 3; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', writer, path], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve, reject) => {
        child.stdout.once('data', () => resolve());
        child.once('exit', (code) => reject(new Error(`writer exited early (${code})`)));
      });
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.floor(Math.random() * 200)));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      const reopened = await PassphraseFileSecretStore.open({ path, passphrase: PASSPHRASE });
      const value = await reopened.get('counter');
      expect(value === undefined || /^\d+$/.test(value.toString())).toBe(true);
      if (value !== undefined) writes = Number(value.toString());
      // A killed writer may leave its temp file; the next open clears it away.
      expect(readdirSync(join(path, '..'))).toEqual(['secrets.enc']);
    }
    expect(writes).toBeGreaterThan(0);
  });
});
