import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprintOf, hostKeyAlgorithmsFor, keyTypeOfBlob, keyTypesOf, normalizeFingerprint, sameFingerprint } from '../../../../electron/core/ssh/connection/hostKeyFormat';

const KEYS = join(__dirname, '../../../hosts/keys');

function blobOf(pubFile: string): Buffer {
  const [, base64] = readFileSync(join(KEYS, pubFile), 'utf8').trim().split(/\s+/);
  return Buffer.from(base64!, 'base64');
}

describe('host key fingerprints', () => {
  it('equal what ssh-keygen -l prints, for every key type', () => {
    for (const file of ['web1_ed25519.pub', 'web1_rsa.pub', 'web1_ecdsa.pub', 'client_ed25519.pub']) {
      const printed = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(KEYS, file)], { encoding: 'utf8' }).split(' ')[1];
      expect(fingerprintOf(blobOf(file))).toBe(printed);
    }
  });

  it('read the key type from the blob', () => {
    expect(keyTypeOfBlob(blobOf('web1_rsa.pub'))).toBe('ssh-rsa');
    expect(keyTypeOfBlob(blobOf('web1_ecdsa.pub'))).toBe('ecdsa-sha2-nistp256');
    expect(keyTypeOfBlob(Buffer.from([0, 0]))).toBeUndefined();
  });

  it('compare typed-in fingerprints with or without prefix, padding and spaces', () => {
    const fp = 'SHA256:CqNfYIUActNcQWuOgCdZhsxU+9tcmOGyOC0N3QG+Lt0';
    expect(normalizeFingerprint(' sha256:CqNfYIUActNcQWuOgCdZhsxU+9tcmOGyOC0N3QG+Lt0= ')).toBe(fp);
    expect(sameFingerprint('CqNfYIUActNcQWuOgCdZhsxU+9tcmOGyOC0N3QG+Lt0', fp)).toBe(true);
    expect(sameFingerprint('cqNfYIUActNcQWuOgCdZhsxU+9tcmOGyOC0N3QG+Lt0', fp)).toBe(false);
  });
});

describe('negotiated host key algorithms', () => {
  it('offer only the pinned types; an RSA pin allows the SHA-2 signatures and ssh-rsa', () => {
    expect(hostKeyAlgorithmsFor(keyTypesOf('ssh-rsa'))).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
    expect(hostKeyAlgorithmsFor(keyTypesOf('RSA'))).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
    expect(hostKeyAlgorithmsFor(['ssh-ed25519', ...keyTypesOf('ED25519')])).toEqual(['ssh-ed25519']);
    expect(keyTypesOf('ECDSA')).toEqual(['ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521']);
  });
});
