import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PLAN_NAMESPACE,
  REPORT_NAMESPACE,
  formatOpenSshPublicKey,
  parseSshsig,
  signSshsig,
  verifySshsig,
  verifyWithAllowedSigners,
} from '../../../electron/core/sshsig';
import { armorSignature, dearmorSignature } from '../../../electron/core/sshsig/armor';
import { encodeSshsigBlob } from '../../../electron/core/sshsig/sshsigBlob';
import { wireString, wireUint32 } from '../../../electron/core/sshsig/sshWire';
import { scratchDir, sshKeygenCheckNovalidate, sshKeygenVerify } from './sshKeygen';

// Every way a signature can be wrong is refused with its own reason; zero false accepts.

const message = Buffer.from('{"files":[{"path":"report.json","sha256":"9f86d08"}],"journalHead":"ab12"}');
let tech: { privateKey: KeyObject; publicKey: KeyObject };
let stranger: { privateKey: KeyObject; publicKey: KeyObject };
let armored: string;
let allowedSigners: string;
let scratch: ReturnType<typeof scratchDir>;

beforeAll(() => {
  tech = generateKeyPairSync('ed25519');
  stranger = generateKeyPairSync('ed25519');
  armored = signSshsig({ message, namespace: REPORT_NAMESPACE, privateKey: tech.privateKey });
  allowedSigners = `tech@example.com namespaces="${REPORT_NAMESPACE}" ${formatOpenSshPublicKey(tech.publicKey)}\n`;
  scratch = scratchDir('sshsig-tamper');
});
afterAll(() => scratch.cleanup());

function flipBlob(position: number, mask: number): string {
  const blob = Buffer.from(dearmorSignature(armored));
  blob[position] = blob[position]! ^ mask;
  return armorSignature(blob);
}

function reencode(changes: Partial<{ publicKey: Buffer; namespace: string; hashAlgorithm: string; signature: Buffer }>): string {
  const parsed = parseSshsig(armored);
  return armorSignature(encodeSshsigBlob({ ...parsed, ...changes }));
}

describe('tampering is refused with the right reason', () => {
  it('accepts the untouched signature (the baseline for every case below)', () => {
    expect(verifyWithAllowedSigners({ message, armored, namespace: REPORT_NAMESPACE, allowedSigners, identity: 'tech@example.com' })).toMatchObject({ ok: true });
    expect(sshKeygenVerify(scratch.dir, { allowedSigners, identity: 'tech@example.com', namespace: REPORT_NAMESPACE, armored, message }).status).toBe(0);
  });

  it('namespace mismatch: a report signature never passes as a plan signature, and the reason names both', () => {
    const result = verifySshsig({ message, armored, namespace: PLAN_NAMESPACE });
    expect(result).toMatchObject({ ok: false, code: 'SIGNATURE_NAMESPACE_MISMATCH' });
    expect(!result.ok && result.reason).toMatch(/"fieldrun-report".*"fieldrun-plan"/);
    expect(sshKeygenCheckNovalidate(scratch.dir, { namespace: PLAN_NAMESPACE, armored, message }).status).not.toBe(0);
  });

  it('a namespace rewritten inside the blob breaks the signature', () => {
    const relabelled = reencode({ namespace: PLAN_NAMESPACE });
    expect(verifySshsig({ message, armored: relabelled, namespace: PLAN_NAMESPACE })).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
    expect(sshKeygenCheckNovalidate(scratch.dir, { namespace: PLAN_NAMESPACE, armored: relabelled, message }).status).not.toBe(0);
  });

  it('a flipped message byte', () => {
    const altered = Buffer.from(message);
    altered[10] = altered[10]! ^ 0x20;
    expect(verifySshsig({ message: altered, armored, namespace: REPORT_NAMESPACE })).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
    expect(sshKeygenCheckNovalidate(scratch.dir, { namespace: REPORT_NAMESPACE, armored, message: altered }).status).not.toBe(0);
  });

  it('a flipped signature byte', () => {
    const blobLength = dearmorSignature(armored).length;
    const altered = flipBlob(blobLength - 10, 0x01);
    expect(verifySshsig({ message, armored: altered, namespace: REPORT_NAMESPACE })).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
    expect(sshKeygenCheckNovalidate(scratch.dir, { namespace: REPORT_NAMESPACE, armored: altered, message }).status).not.toBe(0);
  });

  it('another key: valid, but UNTRUSTED, naming the signer', () => {
    const forged = signSshsig({ message, namespace: REPORT_NAMESPACE, privateKey: stranger.privateKey });
    const result = verifyWithAllowedSigners({ message, armored: forged, namespace: REPORT_NAMESPACE, allowedSigners, identity: 'tech@example.com' });
    expect(result).toMatchObject({ ok: false, code: 'SIGNER_UNTRUSTED', signer: { publicKey: formatOpenSshPublicKey(stranger.publicKey) } });
    expect(!result.ok && result.reason).toMatch(/^UNTRUSTED/);
    expect(sshKeygenVerify(scratch.dir, { allowedSigners, identity: 'tech@example.com', namespace: REPORT_NAMESPACE, armored: forged, message }).status).not.toBe(0);
  });

  it("another key's signature relabelled with the trusted public key", () => {
    const forged = signSshsig({ message, namespace: REPORT_NAMESPACE, privateKey: stranger.privateKey });
    const relabelled = armorSignature(encodeSshsigBlob({ ...parseSshsig(forged), publicKey: parseSshsig(armored).publicKey }));
    expect(verifyWithAllowedSigners({ message, armored: relabelled, namespace: REPORT_NAMESPACE, allowedSigners })).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
    expect(sshKeygenVerify(scratch.dir, { allowedSigners, identity: 'tech@example.com', namespace: REPORT_NAMESPACE, armored: relabelled, message }).status).not.toBe(0);
  });

  it('the signature of another message by the same key', () => {
    const other = signSshsig({ message: Buffer.from('another manifest'), namespace: REPORT_NAMESPACE, privateKey: tech.privateKey });
    expect(verifySshsig({ message, armored: other, namespace: REPORT_NAMESPACE })).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
  });

  it('truncated armor at every length is malformed ("cut short" when the footer is gone)', () => {
    // Dropping only the final newline leaves a complete signature; every shorter cut is refused.
    for (let length = 0; length < armored.length - 1; length++) {
      const result = verifySshsig({ message, armored: armored.slice(0, length), namespace: REPORT_NAMESPACE });
      expect(result, `cut at ${length}`).toMatchObject({ ok: false, code: 'SIGNATURE_MALFORMED' });
    }
    const cut = verifySshsig({ message, armored: armored.slice(0, 120), namespace: REPORT_NAMESPACE });
    expect(!cut.ok && cut.reason).toContain('cut short');
  });

  it('malformed armor and blobs, each with a precise reason', () => {
    const cases: { label: string; armored: string; code: string; reason: RegExp }[] = [
      { label: 'no header', armored: armored.replace('-----BEGIN SSH SIGNATURE-----\n', ''), code: 'SIGNATURE_MALFORMED', reason: /does not start with/ },
      { label: 'leading text', armored: `Signature:\n${armored}`, code: 'SIGNATURE_MALFORMED', reason: /does not start with/ },
      { label: 'text after the footer', armored: `${armored}PS: trust me\n`, code: 'SIGNATURE_MALFORMED', reason: /text after/ },
      { label: 'non-base64 in the body', armored: armored.replace(/\n(.)/, '\n!'), code: 'SIGNATURE_MALFORMED', reason: /not valid base64/ },
      { label: 'not SSHSIG', armored: armorSignature(Buffer.from('NOTSIG\0\0\0\x01')), code: 'SIGNATURE_MALFORMED', reason: /SSHSIG preamble/ },
      { label: 'version 2', armored: flipBlob(9, 0x03), code: 'SIGNATURE_UNSUPPORTED', reason: /version 2/ },
      { label: 'version 0', armored: flipBlob(9, 0x01), code: 'SIGNATURE_MALFORMED', reason: /version 0/ },
      { label: 'trailing bytes', armored: armorSignature(Buffer.concat([dearmorSignature(armored), Buffer.from([0])])), code: 'SIGNATURE_MALFORMED', reason: /trailing/ },
      { label: 'hash sha1', armored: reencode({ hashAlgorithm: 'sha1' }), code: 'SIGNATURE_UNSUPPORTED', reason: /sha1/ },
      {
        label: 'security-key type',
        armored: reencode({ publicKey: Buffer.concat([wireString('sk-ssh-ed25519@openssh.com'), wireString(Buffer.alloc(32, 7)), wireString('ssh:')]) }),
        code: 'SIGNATURE_UNSUPPORTED',
        reason: /sk-ssh-ed25519@openssh.com key/,
      },
      { label: 'short Ed25519 signature', armored: reencode({ signature: Buffer.concat([wireString('ssh-ed25519'), wireString(Buffer.alloc(63))]) }), code: 'SIGNATURE_MALFORMED', reason: /64 bytes/ },
      { label: 'RSA signature on an Ed25519 key', armored: reencode({ signature: Buffer.concat([wireString('rsa-sha2-512'), wireString(Buffer.alloc(64))]) }), code: 'SIGNATURE_MALFORMED', reason: /cannot make a rsa-sha2-512/ },
      { label: 'length overflow', armored: armorSignature(Buffer.concat([Buffer.from('SSHSIG'), wireUint32(1), wireUint32(0xffffffff)])), code: 'SIGNATURE_MALFORMED', reason: /cut short/ },
    ];
    for (const testCase of cases) {
      const result = verifySshsig({ message, armored: testCase.armored, namespace: REPORT_NAMESPACE });
      expect(result, testCase.label).toMatchObject({ ok: false, code: testCase.code });
      expect(!result.ok && result.reason, testCase.label).toMatch(testCase.reason);
    }
  });

  it('accepts whitespace inside the base64 body, as ssh-keygen does: the blob is unchanged', () => {
    const rewrapped = armored.replace(/\n(?=[A-Za-z0-9+/])/g, '\n  ');
    expect(verifySshsig({ message, armored: rewrapped, namespace: REPORT_NAMESPACE })).toMatchObject({ ok: true });
  });
});

describe('properties: any single-byte change is rejected', () => {
  it('a flip anywhere in the message', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: message.length - 1 }), fc.integer({ min: 1, max: 255 }), (position, mask) => {
        const altered = Buffer.from(message);
        altered[position] = altered[position]! ^ mask;
        return !verifySshsig({ message: altered, armored, namespace: REPORT_NAMESPACE }).ok;
      }),
      { numRuns: 500 },
    );
  });

  it('a flip anywhere in the signature blob', () => {
    const blobLength = dearmorSignature(armored).length;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: blobLength - 1 }), fc.integer({ min: 1, max: 255 }), (position, mask) => {
        return !verifySshsig({ message, armored: flipBlob(position, mask), namespace: REPORT_NAMESPACE }).ok;
      }),
      { numRuns: 1000 },
    );
  });

  it('any base64 character of the armor replaced by another', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const start = armored.indexOf('\n') + 1;
    const end = armored.indexOf('\n-----END');
    const positions = [...armored.slice(start, end)].flatMap((char, index) => (alphabet.includes(char) ? [start + index] : []));
    fc.assert(
      fc.property(fc.constantFrom(...positions), fc.constantFrom(...alphabet), (position, replacement) => {
        fc.pre(armored[position] !== replacement);
        const altered = armored.slice(0, position) + replacement + armored.slice(position + 1);
        return !verifySshsig({ message, armored: altered, namespace: REPORT_NAMESPACE }).ok;
      }),
      { numRuns: 1000 },
    );
  });
});
