import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import { ED25519 } from './publicKeys';
import { WireFormatError, WireReader } from './sshWire';

// Verification of one SSH signature (RFC 8709 Ed25519, RFC 8332 RSA, RFC 5656 ECDSA) over bytes.
// Signing is Ed25519 only; verifying RSA and ECDSA too costs a few lines of node:crypto and lets
// head office sign plans with the key it already has. Security-key (sk-*) keys, certificates and
// DSA are refused by name.

interface EcdsaCurve {
  readonly curve: string;
  readonly jwkCurve: 'P-256' | 'P-384' | 'P-521';
  readonly fieldBytes: number;
  readonly hash: 'sha256' | 'sha384' | 'sha512';
}

const ECDSA_CURVES: Readonly<Record<string, EcdsaCurve>> = {
  'ecdsa-sha2-nistp256': { curve: 'nistp256', jwkCurve: 'P-256', fieldBytes: 32, hash: 'sha256' },
  'ecdsa-sha2-nistp384': { curve: 'nistp384', jwkCurve: 'P-384', fieldBytes: 48, hash: 'sha384' },
  'ecdsa-sha2-nistp521': { curve: 'nistp521', jwkCurve: 'P-521', fieldBytes: 66, hash: 'sha512' },
};

const RSA_SIGNATURE_HASHES: Readonly<Record<string, 'sha256' | 'sha512'>> = { 'rsa-sha2-256': 'sha256', 'rsa-sha2-512': 'sha512' };

/** OpenSSH refuses RSA keys below 1024 bits (SSH_RSA_MINIMUM_MODULUS_SIZE); so do we. */
const RSA_MINIMUM_BITS = 1024;

export const VERIFIABLE_KEY_TYPES = [ED25519, 'ssh-rsa', ...Object.keys(ECDSA_CURVES)] as const;

/**
 * Whether `signature` (an SSH signature blob: type name, then the raw signature) is `publicKey`'s
 * signature over `data`. Returns false for a wrong signature; throws AppError SIGNATURE_UNSUPPORTED
 * for a key type we cannot check and SIGNATURE_MALFORMED for a structurally broken key or signature.
 */
export function verifyKeySignature(publicKey: Buffer, signature: Buffer, data: Buffer): boolean {
  try {
    const keyReader = new WireReader(publicKey);
    const keyType = keyReader.text('the key type');
    const sigReader = new WireReader(signature);
    const sigType = sigReader.text('the signature type');
    if (keyType === ED25519) return verifyEd25519(keyReader, sigType, sigReader, data);
    if (keyType === 'ssh-rsa') return verifyRsa(keyReader, sigType, sigReader, data);
    const curve = ECDSA_CURVES[keyType];
    if (curve !== undefined) return verifyEcdsa(curve, keyType, keyReader, sigType, sigReader, data);
    throw new AppError(
      'SIGNATURE_UNSUPPORTED',
      `The signature was made with a ${keyType} key; Fieldrun verifies only ${VERIFIABLE_KEY_TYPES.join(', ')} keys. Check it with "ssh-keygen -Y verify", or have it signed with an Ed25519 key.`,
      { keyType },
    );
  } catch (error) {
    if (error instanceof WireFormatError) {
      throw new AppError('SIGNATURE_MALFORMED', `The signature is damaged: ${error.message}. Ask for the signature file again.`, { problem: error.message });
    }
    throw error;
  }
}

function verifyEd25519(keyReader: WireReader, sigType: string, sigReader: WireReader, data: Buffer): boolean {
  const point = keyReader.string('the Ed25519 public key');
  keyReader.expectEnd('the Ed25519 public key');
  if (point.length !== 32) throw new WireFormatError(`an Ed25519 public key has 32 bytes, not ${point.length}`);
  expectSignatureType(sigType, [ED25519]);
  const raw = sigReader.string('the Ed25519 signature');
  sigReader.expectEnd('the Ed25519 signature');
  if (raw.length !== 64) throw new WireFormatError(`an Ed25519 signature has 64 bytes, not ${raw.length}`);
  const key = publicKeyFromJwk({ kty: 'OKP', crv: 'Ed25519', x: point.toString('base64url') });
  return cryptoVerify(null, data, key, raw);
}

function verifyRsa(keyReader: WireReader, sigType: string, sigReader: WireReader, data: Buffer): boolean {
  const exponent = unsignedMpint(keyReader.string('the RSA exponent'));
  const modulus = unsignedMpint(keyReader.string('the RSA modulus'));
  keyReader.expectEnd('the RSA public key');
  const bits = bitLength(modulus);
  if (bits < RSA_MINIMUM_BITS) {
    throw new AppError('SIGNATURE_UNSUPPORTED', `The RSA key has only ${bits} bits; at least ${RSA_MINIMUM_BITS} are required. Sign with a stronger key.`, { bits });
  }
  // PROTOCOL.sshsig forbids the legacy SHA-1 "ssh-rsa" signature algorithm.
  const hash = RSA_SIGNATURE_HASHES[sigType];
  if (hash === undefined) {
    throw new AppError('SIGNATURE_UNSUPPORTED', `The RSA signature uses ${sigType}; only rsa-sha2-256 and rsa-sha2-512 are accepted. Sign again with a current ssh-keygen.`, { signatureType: sigType });
  }
  let raw = sigReader.string('the RSA signature');
  sigReader.expectEnd('the RSA signature');
  const modulusBytes = modulus.length;
  if (raw.length > modulusBytes) throw new WireFormatError('the RSA signature is longer than the key');
  // OpenSSH left-pads a short signature to the modulus length; OpenSSL insists on the full length.
  if (raw.length < modulusBytes) raw = Buffer.concat([Buffer.alloc(modulusBytes - raw.length), raw]);
  const key = publicKeyFromJwk({ kty: 'RSA', n: modulus.toString('base64url'), e: exponent.toString('base64url') });
  return cryptoVerify(hash, data, key, raw);
}

function verifyEcdsa(curve: EcdsaCurve, keyType: string, keyReader: WireReader, sigType: string, sigReader: WireReader, data: Buffer): boolean {
  const curveName = keyReader.text('the curve name');
  const point = keyReader.string('the curve point');
  keyReader.expectEnd('the ECDSA public key');
  if (curveName !== curve.curve) throw new WireFormatError(`a ${keyType} key names the curve ${curveName}`);
  if (point.length !== 1 + 2 * curve.fieldBytes || point[0] !== 0x04) throw new WireFormatError('the ECDSA public key is not an uncompressed curve point');
  expectSignatureType(sigType, [keyType]);
  const inner = new WireReader(sigReader.string('the ECDSA signature'));
  sigReader.expectEnd('the ECDSA signature');
  const r = fixedWidth(unsignedMpint(inner.string('the ECDSA r value')), curve.fieldBytes);
  const s = fixedWidth(unsignedMpint(inner.string('the ECDSA s value')), curve.fieldBytes);
  inner.expectEnd('the ECDSA signature values');
  const key = publicKeyFromJwk({
    kty: 'EC',
    crv: curve.jwkCurve,
    x: point.subarray(1, 1 + curve.fieldBytes).toString('base64url'),
    y: point.subarray(1 + curve.fieldBytes).toString('base64url'),
  });
  return cryptoVerify(curve.hash, data, { key, dsaEncoding: 'ieee-p1363' }, Buffer.concat([r, s]));
}

function expectSignatureType(sigType: string, allowed: readonly string[]): void {
  if (!allowed.includes(sigType)) throw new WireFormatError(`a ${allowed.join(' or ')} key cannot make a ${sigType} signature`);
}

function publicKeyFromJwk(jwk: Record<string, string>): KeyObject {
  try {
    return createPublicKey({ key: jwk, format: 'jwk' });
  } catch {
    // OpenSSL refuses points off the curve and similar impossibilities; that is a broken key.
    throw new WireFormatError('the public key is not a valid key');
  }
}

/** An SSH mpint as unsigned big-endian bytes; the signers here never write negative values. */
function unsignedMpint(bytes: Buffer): Buffer {
  if (bytes.length > 0 && (bytes[0]! & 0x80) !== 0) throw new WireFormatError('a key or signature number is negative');
  let start = 0;
  while (start < bytes.length && bytes[start] === 0) start++;
  return bytes.subarray(start);
}

function fixedWidth(bytes: Buffer, width: number): Buffer {
  if (bytes.length > width) throw new WireFormatError('an ECDSA signature value is larger than the curve allows');
  return Buffer.concat([Buffer.alloc(width - bytes.length), bytes]);
}

function bitLength(bytes: Buffer): number {
  if (bytes.length === 0) return 0;
  return (bytes.length - 1) * 8 + (32 - Math.clz32(bytes[0]!));
}
