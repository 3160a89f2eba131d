import { createHash } from 'node:crypto';
import type { PresentedHostKey } from './types';

/** 'SHA256:' + unpadded base64 of the key blob's SHA-256: what `ssh-keygen -l` prints. */
export function fingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The type string at the start of an SSH wire-format public key blob. */
export function keyTypeOfBlob(keyBlob: Buffer): string | undefined {
  if (keyBlob.length < 4) return undefined;
  const length = keyBlob.readUInt32BE(0);
  if (length === 0 || length > 64 || 4 + length > keyBlob.length) return undefined;
  return keyBlob.toString('latin1', 4, 4 + length);
}

export function presentedKeyOf(keyBlob: Buffer): PresentedHostKey {
  const type = keyTypeOfBlob(keyBlob) ?? 'unknown';
  return { type, fingerprint: fingerprintOf(keyBlob), publicKey: `${type} ${keyBlob.toString('base64')}` };
}

/**
 * Fingerprints are compared in their canonical form; people paste them with or without the
 * 'SHA256:' prefix, with padding, or with stray spaces from a phone call's notes.
 */
export function normalizeFingerprint(text: string): string {
  const compact = text.replace(/\s+/g, '');
  const body = compact.replace(/^sha256:/i, '').replace(/=+$/, '');
  return `SHA256:${body}`;
}

export function sameFingerprint(a: string, b: string): boolean {
  return normalizeFingerprint(a) === normalizeFingerprint(b);
}

const ECDSA_TYPES = ['ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521'];

/**
 * Key blob types a pinned type name stands for. Plans may copy the label `ssh-keygen -l` prints
 * ('ED25519', 'RSA', 'ECDSA') or an algorithm name; the blob type is what the server presents.
 */
export function keyTypesOf(typeName: string): string[] {
  const name = typeName.trim().toLowerCase();
  switch (name) {
    case 'ed25519':
    case 'ssh-ed25519':
      return ['ssh-ed25519'];
    case 'rsa':
    case 'ssh-rsa':
    case 'rsa-sha2-256':
    case 'rsa-sha2-512':
      return ['ssh-rsa'];
    case 'ecdsa':
      return [...ECDSA_TYPES];
    case 'ed448':
    case 'ssh-ed448':
      return ['ssh-ed448'];
    case 'dsa':
    case 'ssh-dss':
      return ['ssh-dss'];
    default:
      return [name];
  }
}

/** Host key algorithms to offer so that only keys of these types can be negotiated. */
export function hostKeyAlgorithmsFor(keyTypes: Iterable<string>): string[] {
  const algorithms: string[] = [];
  for (const type of keyTypes) {
    const forType = type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type];
    for (const algorithm of forType) if (!algorithms.includes(algorithm)) algorithms.push(algorithm);
  }
  return algorithms;
}
