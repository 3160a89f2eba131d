import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import { checkPublicKeyBlob } from './publicKeys';
import { WireFormatError, WireReader, wireString, wireUint32 } from './sshWire';

// The blob and the signed data of PROTOCOL.sshsig §2 and §3.

const MAGIC_PREAMBLE = Buffer.from('SSHSIG', 'latin1');
const SIG_VERSION = 1;

export const HASH_ALGORITHMS = ['sha256', 'sha512'] as const;
export type SshsigHashAlgorithm = (typeof HASH_ALGORITHMS)[number];
/** What ssh-keygen uses (HASHALG_DEFAULT) and so what we sign with: signatures stay byte-identical. */
export const SIGNING_HASH_ALGORITHM: SshsigHashAlgorithm = 'sha512';

export interface ParsedSshsig {
  /** The signer's public key blob in SSH wire format. */
  readonly publicKey: Buffer;
  /** The key type named in that blob, e.g. 'ssh-ed25519'. */
  readonly keyType: string;
  readonly namespace: string;
  readonly hashAlgorithm: string;
  /** The SSH signature blob: signature type name, then the raw signature. */
  readonly signature: Buffer;
}

export function isSupportedHashAlgorithm(name: string): name is SshsigHashAlgorithm {
  return (HASH_ALGORITHMS as readonly string[]).includes(name);
}

export function assertNamespace(namespace: string): void {
  // PROTOCOL.sshsig: "The namespace value MUST NOT be the empty string."
  if (namespace === '' || namespace.includes('\0') || Buffer.from(namespace, 'utf8').toString('utf8') !== namespace) {
    throw new AppError('INPUT_INVALID', 'A signature namespace must be a non-empty text without NUL bytes, such as "fieldrun-report".', { namespace });
  }
}

/** The bytes the key actually signs: preamble, namespace, empty reserved, hash name, H(message). */
export function signedData(message: Buffer, namespace: string, hashAlgorithm: SshsigHashAlgorithm): Buffer {
  const digest = createHash(hashAlgorithm).update(message).digest();
  return Buffer.concat([MAGIC_PREAMBLE, wireString(namespace), wireString(Buffer.alloc(0)), wireString(hashAlgorithm), wireString(digest)]);
}

export function encodeSshsigBlob(parts: { publicKey: Buffer; namespace: string; hashAlgorithm: string; signature: Buffer }): Buffer {
  return Buffer.concat([
    MAGIC_PREAMBLE,
    wireUint32(SIG_VERSION),
    wireString(parts.publicKey),
    wireString(parts.namespace),
    wireString(Buffer.alloc(0)),
    wireString(parts.hashAlgorithm),
    wireString(parts.signature),
  ]);
}

export function decodeSshsigBlob(blob: Buffer): ParsedSshsig {
  try {
    const reader = new WireReader(blob);
    if (!reader.raw(MAGIC_PREAMBLE.length, 'the SSHSIG preamble').equals(MAGIC_PREAMBLE)) {
      throw new WireFormatError('it does not start with the SSHSIG preamble, so it is not an SSH signature');
    }
    const version = reader.uint32('the version');
    if (version > SIG_VERSION) {
      throw new AppError('SIGNATURE_UNSUPPORTED', `The signature has format version ${version}; this Fieldrun reads version ${SIG_VERSION}. Update Fieldrun or sign again with an older ssh-keygen.`, { version });
    }
    // Version 0 was never defined; accepting it would let one signature have two encodings.
    if (version !== SIG_VERSION) throw new WireFormatError(`version ${version} does not exist`);
    const publicKey = Buffer.from(reader.string('the public key'));
    const keyType = checkPublicKeyBlob(publicKey);
    const namespace = reader.text('the namespace');
    if (namespace === '') throw new WireFormatError('the namespace is empty');
    // The reserved field is not signed; PROTOCOL.sshsig says to ignore its contents.
    reader.string('the reserved field');
    const hashAlgorithm = reader.text('the hash algorithm');
    const signature = Buffer.from(reader.string('the signature'));
    reader.expectEnd('the signature');
    return { publicKey, keyType, namespace, hashAlgorithm, signature };
  } catch (error) {
    if (error instanceof WireFormatError) {
      throw new AppError('SIGNATURE_MALFORMED', `The signature is damaged: ${error.message}. Ask for the signature file again.`, { problem: error.message });
    }
    throw error;
  }
}
