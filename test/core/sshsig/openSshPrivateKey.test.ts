import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_NAMESPACE, formatOpenSshPublicKey, readOpenSshKeyEnvelope, readOpenSshPrivateKey, signSshsig } from '../../../electron/core/sshsig';
import { makeKey, mustSucceed, scratchDir, sshKeygen, sshKeygenSign } from './sshKeygen';
import { codeOfSync } from '../../support/appErrorCode';

// "Choose an existing SSH key": OpenSSH private key files as ssh-keygen writes them.

let scratch: ReturnType<typeof scratchDir>;
beforeAll(() => {
  scratch = scratchDir('openssh-keys');
});
afterAll(() => scratch.cleanup());


describe('readOpenSshPrivateKey', () => {
  it('reads an unencrypted Ed25519 key: public line and comment as in the .pub, signatures identical to ssh-keygen', () => {
    const key = makeKey(scratch.dir, 'plain', { comment: 'tech@example.com' });
    const read = readOpenSshPrivateKey(readFileSync(key.privatePath, 'utf8'));
    expect(formatOpenSshPublicKey(read.privateKey, read.comment)).toBe(key.publicLine);
    const message = Buffer.from('plan bytes');
    expect(signSshsig({ message, namespace: REPORT_NAMESPACE, privateKey: read.privateKey })).toBe(sshKeygenSign(key.privatePath, REPORT_NAMESPACE, message));
  });

  for (const cipher of ['aes256-ctr', 'aes256-gcm@openssh.com', 'aes128-cbc']) {
    it(`opens a passphrase-protected key (bcrypt KDF, ${cipher}) and signs like ssh-keygen`, () => {
      const key = makeKey(scratch.dir, `enc-${cipher.replace(/[^a-z0-9]/g, '')}`, { passphrase: 'correct horse battery', cipher });
      const text = readFileSync(key.privatePath, 'utf8');
      expect(readOpenSshKeyEnvelope(text)).toMatchObject({ encrypted: true, kdf: 'bcrypt', cipher, keyType: 'ssh-ed25519' });
      const read = readOpenSshPrivateKey(text, 'correct horse battery');
      expect(formatOpenSshPublicKey(read.privateKey, read.comment)).toBe(key.publicLine);
      const message = Buffer.from('manifest');
      const ours = signSshsig({ message, namespace: REPORT_NAMESPACE, privateKey: read.privateKey });
      // ssh-keygen -Y sign would ask for the passphrase on a terminal: sign with a copy it decrypted.
      const clearCopy = `${key.privatePath}-clear`;
      copyFileSync(key.privatePath, clearCopy);
      mustSucceed(sshKeygen(['-p', '-f', clearCopy, '-P', 'correct horse battery', '-N', '']), 'ssh-keygen -p');
      expect(ours).toBe(sshKeygenSign(clearCopy, REPORT_NAMESPACE, message));
    });
  }

  it('asks for the passphrase, and refuses a wrong one with its own code', () => {
    const key = makeKey(scratch.dir, 'locked', { passphrase: 'correct horse battery' });
    const text = readFileSync(key.privatePath, 'utf8');
    expect(codeOfSync(() => readOpenSshPrivateKey(text))).toBe('SSH_PASSPHRASE_REQUIRED');
    expect(codeOfSync(() => readOpenSshPrivateKey(text, ''))).toBe('SSH_PASSPHRASE_REQUIRED');
    expect(codeOfSync(() => readOpenSshPrivateKey(text, 'wrong horse battery'))).toBe('KEY_PASSPHRASE_WRONG');
  });

  it('tolerates CRLF line endings and surrounding blank lines', () => {
    const key = makeKey(scratch.dir, 'crlf');
    const text = `\r\n${readFileSync(key.privatePath, 'utf8').replace(/\n/g, '\r\n')}\r\n\r\n`;
    expect(formatOpenSshPublicKey(readOpenSshPrivateKey(text).privateKey)).toBe(key.publicLine.split(' ').slice(0, 2).join(' '));
  });

  it('refuses other key types, chacha20-encrypted keys, PEM keys, .pub files and damage, each by name', () => {
    const rsa = makeKey(scratch.dir, 'rsa', { type: 'rsa', bits: 2048 });
    expect(codeOfSync(() => readOpenSshPrivateKey(readFileSync(rsa.privatePath, 'utf8')))).toBe('KEY_UNSUPPORTED');
    const chacha = makeKey(scratch.dir, 'chacha', { passphrase: 'correct horse battery', cipher: 'chacha20-poly1305@openssh.com' });
    expect(codeOfSync(() => readOpenSshPrivateKey(readFileSync(chacha.privatePath, 'utf8'), 'correct horse battery'))).toBe('KEY_UNSUPPORTED');
    expect(codeOfSync(() => readOpenSshPrivateKey('-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n'))).toBe('KEY_UNSUPPORTED');
    expect(codeOfSync(() => readOpenSshPrivateKey(rsa.publicLine))).toBe('SSH_KEY_INVALID');

    const plain = readFileSync(makeKey(scratch.dir, 'damaged').privatePath, 'utf8');
    expect(codeOfSync(() => readOpenSshPrivateKey(plain.slice(0, 200)))).toBe('SSH_KEY_INVALID');
    const lines = plain.split('\n');
    lines[3] = lines[3]!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    const damagedPath = join(scratch.dir, 'damaged-edit');
    writeFileSync(damagedPath, lines.join('\n'));
    expect(codeOfSync(() => readOpenSshPrivateKey(readFileSync(damagedPath, 'utf8')))).toBe('SSH_KEY_INVALID');
  });
});
