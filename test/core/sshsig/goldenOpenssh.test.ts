import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PLAN_NAMESPACE,
  REPORT_NAMESPACE,
  formatOpenSshPublicKey,
  parseSshsig,
  readOpenSshPrivateKey,
  signSshsig,
  verifySshsig,
  verifyWithAllowedSigners,
} from '../../../electron/core/sshsig';
import {
  makeKey,
  mustSucceed,
  scratchDir,
  sshKeygen,
  sshKeygenCheckNovalidate,
  sshKeygenFindPrincipals,
  sshKeygenSign,
  sshKeygenVerify,
  type KeyFiles,
} from './sshKeygen';

// Golden tests against stock OpenSSH: the same signature bytes, and each side accepts the other's.

const messages: Record<string, Buffer> = {
  empty: Buffer.alloc(0),
  'manifest json': Buffer.from('{"files":[{"path":"report.json","sha256":"00"}],"runId":"r1"}\n'),
  binary: randomBytes(4096),
  'one MiB': randomBytes(1024 * 1024),
};

let scratch: ReturnType<typeof scratchDir>;
let key: KeyFiles;

beforeAll(() => {
  scratch = scratchDir('sshsig-golden');
  key = makeKey(scratch.dir, 'tech', { comment: 'tech@example.com' });
});
afterAll(() => scratch.cleanup());

describe('Node signatures are ssh-keygen signatures', () => {
  for (const [label, message] of Object.entries(messages)) {
    it(`is byte-identical to ssh-keygen -Y sign (${label})`, () => {
      const { privateKey } = readOpenSshPrivateKey(readFileSync(key.privatePath, 'utf8'));
      const ours = signSshsig({ message, namespace: REPORT_NAMESPACE, privateKey });
      const theirs = sshKeygenSign(key.privatePath, REPORT_NAMESPACE, message);
      expect(ours).toBe(theirs);
    });
  }

  it('wraps the armor at 70 columns and ends every line with a newline, like ssh-keygen', () => {
    const { privateKey } = readOpenSshPrivateKey(readFileSync(key.privatePath, 'utf8'));
    const armored = signSshsig({ message: Buffer.from('x'), namespace: REPORT_NAMESPACE, privateKey });
    const lines = armored.split('\n');
    expect(lines[0]).toBe('-----BEGIN SSH SIGNATURE-----');
    expect(lines.at(-2)).toBe('-----END SSH SIGNATURE-----');
    expect(lines.at(-1)).toBe('');
    const body = lines.slice(1, -2);
    expect(body.slice(0, -1).every((line) => line.length === 70)).toBe(true);
    expect(body.at(-1)!.length).toBeLessThanOrEqual(70);
  });

  it('is accepted by ssh-keygen -Y verify, check-novalidate and find-principals (fresh Node key)', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const message = messages['manifest json']!;
    const armored = signSshsig({ message, namespace: REPORT_NAMESPACE, privateKey });
    const allowedSigners = `tech@example.com namespaces="${REPORT_NAMESPACE}" ${formatOpenSshPublicKey(publicKey)}\n`;

    const verified = sshKeygenVerify(scratch.dir, { allowedSigners, identity: 'tech@example.com', namespace: REPORT_NAMESPACE, armored, message });
    expect(verified.status, verified.stderr).toBe(0);
    expect(verified.stdout).toContain('Good "fieldrun-report" signature for tech@example.com');

    expect(sshKeygenCheckNovalidate(scratch.dir, { namespace: REPORT_NAMESPACE, armored, message }).status).toBe(0);
    const found = sshKeygenFindPrincipals(scratch.dir, { allowedSigners, armored });
    expect(found.status, found.stderr).toBe(0);
    expect(found.stdout.trim()).toBe('tech@example.com');

    // ...and OpenSSH too refuses it in another namespace or over other bytes.
    expect(sshKeygenVerify(scratch.dir, { allowedSigners: `tech@example.com ${formatOpenSshPublicKey(publicKey)}\n`, identity: 'tech@example.com', namespace: PLAN_NAMESPACE, armored, message }).status).not.toBe(0);
    expect(sshKeygenCheckNovalidate(scratch.dir, { namespace: REPORT_NAMESPACE, armored, message: Buffer.concat([message, Buffer.from(' ')]) }).status).not.toBe(0);
  });

  it('prints the same fingerprint as ssh-keygen -l', () => {
    const { privateKey } = readOpenSshPrivateKey(readFileSync(key.privatePath, 'utf8'));
    const verified = verifySshsig({ message: Buffer.from('m'), armored: signSshsig({ message: Buffer.from('m'), namespace: 'file', privateKey }), namespace: 'file' });
    const listed = mustSucceed(sshKeygen(['-l', '-f', `${key.privatePath}.pub`]), 'ssh-keygen -l').stdout;
    if (!verified.ok) throw new Error(verified.reason);
    expect(listed.split(' ')[1]).toBe(verified.fingerprint);
  });
});

describe('ssh-keygen signatures verify in Node', () => {
  const keyTypes: { label: string; type: string; bits?: number }[] = [
    { label: 'Ed25519', type: 'ed25519' },
    { label: 'RSA 3072', type: 'rsa', bits: 3072 },
    { label: 'ECDSA P-256', type: 'ecdsa', bits: 256 },
    { label: 'ECDSA P-384', type: 'ecdsa', bits: 384 },
    { label: 'ECDSA P-521', type: 'ecdsa', bits: 521 },
  ];
  for (const { label, type, bits } of keyTypes) {
    it(`accepts an ssh-keygen ${label} signature, names its key, and trusts it through allowed_signers`, () => {
      const signer = makeKey(scratch.dir, `signer-${type}-${bits ?? 0}`, { type, ...(bits === undefined ? {} : { bits }), comment: 'head-office@example.com' });
      const message = messages.binary!;
      const armored = sshKeygenSign(signer.privatePath, PLAN_NAMESPACE, message);
      const result = verifySshsig({ message, armored, namespace: PLAN_NAMESPACE });
      expect(result).toMatchObject({ ok: true, hashAlgorithm: 'sha512', publicKey: signer.publicLine.split(' ').slice(0, 2).join(' ') });

      const trusted = verifyWithAllowedSigners({ message, armored, namespace: PLAN_NAMESPACE, allowedSigners: `head-office@example.com ${signer.publicLine}\n`, identity: 'head-office@example.com' });
      expect(trusted).toMatchObject({ ok: true, principals: ['head-office@example.com'] });

      const tampered = Buffer.from(message);
      tampered[100] = tampered[100]! ^ 0x01;
      expect(verifySshsig({ message: tampered, armored, namespace: PLAN_NAMESPACE })).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
    });
  }

  it('accepts a signature made with -O hashalg=sha256 and reports the hash', () => {
    const message = messages['manifest json']!;
    const armored = sshKeygenSign(key.privatePath, REPORT_NAMESPACE, message, ['-O', 'hashalg=sha256']);
    expect(parseSshsig(armored).hashAlgorithm).toBe('sha256');
    expect(verifySshsig({ message, armored, namespace: REPORT_NAMESPACE })).toMatchObject({ ok: true, hashAlgorithm: 'sha256' });
  });

  it('refuses an ssh-keygen signature made in another namespace, naming both', () => {
    const message = messages['manifest json']!;
    const armored = sshKeygenSign(key.privatePath, REPORT_NAMESPACE, message);
    const result = verifySshsig({ message, armored, namespace: PLAN_NAMESPACE });
    expect(result).toMatchObject({ ok: false, code: 'SIGNATURE_NAMESPACE_MISMATCH' });
    expect(!result.ok && result.reason).toContain('"fieldrun-report"');
    expect(!result.ok && result.reason).toContain('"fieldrun-plan"');
  });
});
