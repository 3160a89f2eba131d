import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import { WireFormatError, WireReader, wireString } from './sshWire';

export const ED25519 = 'ssh-ed25519';

/** A public key as SSH puts it on the wire: the blob, and the type name it starts with. */
export interface SshPublicKey {
  readonly type: string;
  readonly blob: Buffer;
}

/** 'SHA256:' + unpadded base64 of the blob's SHA-256, exactly what `ssh-keygen -l` prints. */
export function fingerprintOfBlob(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The wire blob of an Ed25519 key (public or private KeyObject; a private one yields its public half). */
export function ed25519BlobOf(key: KeyObject): Buffer {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new AppError('KEY_UNSUPPORTED', `Only Ed25519 keys can sign here; this key is ${key.asymmetricKeyType ?? 'not an asymmetric key'}. Use or create an Ed25519 key.`, {
      keyType: key.asymmetricKeyType ?? 'none',
    });
  }
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = publicKey.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new AppError('INTERNAL', 'Node did not export the Ed25519 public key. Report this as a bug.');
  return Buffer.concat([wireString(ED25519), wireString(Buffer.from(jwk.x, 'base64url'))]);
}

/** `ssh-ed25519 AAAA… comment`: the line for authorized_keys, allowed_signers and `.pub` files. */
export function formatOpenSshPublicKey(key: KeyObject, comment?: string): string {
  return publicKeyLineOfBlob(ed25519BlobOf(key), comment);
}

export function publicKeyLineOfBlob(blob: Buffer, comment?: string): string {
  let type: string;
  try {
    type = checkPublicKeyBlob(blob);
  } catch (error) {
    if (error instanceof WireFormatError) throw new AppError('INPUT_INVALID', `This is not an SSH public key: ${error.message}.`, { problem: error.message });
    throw error;
  }
  if (comment !== undefined && /[\r\n]/.test(comment)) {
    throw new AppError('INPUT_INVALID', 'A public key comment cannot contain a line break. Choose a name on one line.');
  }
  const base = `${type} ${blob.toString('base64')}`;
  return comment === undefined || comment === '' ? base : `${base} ${comment}`;
}

/** The key type named inside a blob, after checking the blob is complete for the types we know. */
export function checkPublicKeyBlob(blob: Buffer): string {
  const reader = new WireReader(blob);
  const type = reader.text('the key type');
  switch (type) {
    case ED25519: {
      const point = reader.string('the Ed25519 public key');
      if (point.length !== 32) throw new WireFormatError(`an Ed25519 public key has 32 bytes, not ${point.length}`);
      break;
    }
    case 'ssh-rsa':
      reader.string('the RSA exponent');
      reader.string('the RSA modulus');
      break;
    case 'ecdsa-sha2-nistp256':
    case 'ecdsa-sha2-nistp384':
    case 'ecdsa-sha2-nistp521':
      reader.text('the curve name');
      reader.string('the curve point');
      break;
    default:
      // Other types (certificates, security keys, DSA) are carried as opaque blobs: they can be
      // listed and compared, never used to verify here.
      return type;
  }
  reader.expectEnd(`the ${type} public key`);
  return type;
}

export interface ParsedPublicKeyLine extends SshPublicKey {
  readonly comment: string;
}

/** Reads `type base64 [comment]`; the base64 must decode to a blob of the type it claims. Throws AppError INPUT_INVALID. */
export function parseOpenSshPublicKey(line: string): ParsedPublicKeyLine {
  try {
    return readPublicKeyLine(line);
  } catch (error) {
    if (error instanceof WireFormatError) {
      throw new AppError('INPUT_INVALID', `This is not an OpenSSH public key line: ${error.message}. Paste the whole "ssh-ed25519 AAAA…" line.`, { problem: error.message });
    }
    throw error;
  }
}

/** parseOpenSshPublicKey for parsers that report WireFormatError in their own terms. */
export function readPublicKeyLine(line: string): ParsedPublicKeyLine {
  const match = /^\s*(\S+)\s+(\S+)(?:\s+(.*?))?\s*$/.exec(line);
  if (match === null) throw new WireFormatError('expected "<key type> <base64 key> [comment]"');
  const [, declaredType = '', encoded = '', comment = ''] = match;
  const blob = decodeStrictBase64(encoded, 'the public key');
  let type: string;
  try {
    type = checkPublicKeyBlob(blob);
  } catch (error) {
    if (error instanceof WireFormatError) throw new WireFormatError(`the ${declaredType} key is damaged: ${error.message}`);
    throw error;
  }
  if (type !== declaredType) throw new WireFormatError(`the key says it is ${declaredType} but its data is ${type}`);
  return { type, blob, comment };
}

/** RFC 4648 base64 with no stray characters; Node's own decoder silently skips them. */
export function decodeStrictBase64(text: string, what: string): Buffer {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new WireFormatError(`${what} is not valid base64`);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) throw new WireFormatError(`${what} is not canonical base64`);
  return bytes;
}
