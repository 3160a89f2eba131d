import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../../shared/errors';

// The passphrase-protected secrets file, version 1. All integers big-endian.
//
//   magic "FRSECRET" (8) | version u8 = 1 | kdf u8 = 1 (scrypt) | log2(N) u8 | r u32 | p u32
//   | salt (32) | passphrase check (16) | nonce (12) | AES-256-GCM ciphertext | tag (16)
//
// Everything before the ciphertext is the header and is GCM's additional data, so a changed
// parameter, salt or version fails authentication. scrypt(passphrase, salt) gives a master key;
// HKDF-SHA256 splits it into the AES key and a 16-byte passphrase check, which tells "wrong
// passphrase" apart from "damaged file" (it offers an attacker nothing the GCM tag does not).
//
// scrypt parameters: N = 2^17, r = 8, p = 1 — 128 MiB and about 0.4 s on the 2-core build
// machine per derivation, OWASP's recommended minimum for scrypt. The key is derived once per
// open, not per read. A file read back may carry other parameters, within sane bounds.

const MAGIC = Buffer.from('FRSECRET', 'latin1');
export const SECRET_FILE_VERSION = 1;
const KDF_SCRYPT = 1;
const SALT_BYTES = 32;
const CHECK_BYTES = 16;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + 3 + 4 + 4 + SALT_BYTES + CHECK_BYTES + NONCE_BYTES;

export interface ScryptParameters {
  readonly log2N: number;
  readonly r: number;
  readonly p: number;
}

export const SCRYPT_PARAMETERS: ScryptParameters = { log2N: 17, r: 8, p: 1 };
/** A file asking for more than 1 GiB of scrypt memory is not one we wrote. */
const MAX_SCRYPT_MEMORY = 1024 * 1024 * 1024;

export interface SecretFileKey {
  readonly parameters: ScryptParameters;
  readonly salt: Buffer;
  readonly check: Buffer;
  readonly encryptionKey: Buffer;
}

interface SecretFileHeader {
  readonly parameters: ScryptParameters;
  readonly salt: Buffer;
  readonly check: Buffer;
}

/** Passphrases are compared as NFC UTF-8, so the same words typed on macOS and Linux match. */
function passphraseBytes(passphrase: string): Buffer {
  return Buffer.from(passphrase.normalize('NFC'), 'utf8');
}

function scryptMemory(parameters: ScryptParameters): number {
  return 128 * 2 ** parameters.log2N * parameters.r * parameters.p;
}

async function deriveKey(passphrase: string, salt: Buffer, parameters: ScryptParameters): Promise<SecretFileKey> {
  const secret = passphraseBytes(passphrase);
  const master = await new Promise<Buffer>((resolve, reject) => {
    scrypt(secret, salt, 32, { N: 2 ** parameters.log2N, r: parameters.r, p: parameters.p, maxmem: 2 * scryptMemory(parameters) }, (error, key) =>
      error === null ? resolve(key) : reject(error),
    );
  });
  secret.fill(0);
  const encryptionKey = Buffer.from(hkdfSync('sha256', master, salt, 'fieldrun secrets v1: aes-256-gcm key', 32));
  const check = Buffer.from(hkdfSync('sha256', master, salt, 'fieldrun secrets v1: passphrase check', CHECK_BYTES));
  master.fill(0);
  return { parameters, salt, check, encryptionKey };
}

/** A fresh key (new salt) for a new file or a new passphrase. */
export function newFileKey(passphrase: string, parameters: ScryptParameters = SCRYPT_PARAMETERS): Promise<SecretFileKey> {
  return deriveKey(passphrase, randomBytes(SALT_BYTES), parameters);
}

/** The key for an existing file; throws KEY_PASSPHRASE_WRONG when the passphrase is not the file's. */
export async function unlockFileKey(file: Buffer, passphrase: string, path: string): Promise<SecretFileKey> {
  const header = readHeader(file, path);
  const key = await deriveKey(passphrase, header.salt, header.parameters);
  if (!timingSafeEqual(key.check, header.check)) {
    throw new AppError('KEY_PASSPHRASE_WRONG', 'The passphrase does not open the signing key store. Check it (and the keyboard layout) and try again.', { path });
  }
  return key;
}

export function encryptSecretFile(plaintext: Buffer, key: SecretFileKey): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const header = Buffer.alloc(HEADER_BYTES);
  let at = MAGIC.copy(header, 0);
  at = header.writeUInt8(SECRET_FILE_VERSION, at);
  at = header.writeUInt8(KDF_SCRYPT, at);
  at = header.writeUInt8(key.parameters.log2N, at);
  at = header.writeUInt32BE(key.parameters.r, at);
  at = header.writeUInt32BE(key.parameters.p, at);
  at += key.salt.copy(header, at);
  at += key.check.copy(header, at);
  nonce.copy(header, at);
  const cipher = createCipheriv('aes-256-gcm', key.encryptionKey, nonce);
  cipher.setAAD(header);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, ciphertext, cipher.getAuthTag()]);
}

export function decryptSecretFile(file: Buffer, key: SecretFileKey, path: string): Buffer {
  const header = readHeader(file, path);
  if (!header.salt.equals(key.salt) || !timingSafeEqual(header.check, key.check)) {
    throw new AppError('KEY_PASSPHRASE_WRONG', 'The signing key store was replaced with one under another passphrase. Open it again with its passphrase.', { path });
  }
  const nonce = file.subarray(HEADER_BYTES - NONCE_BYTES, HEADER_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key.encryptionKey, nonce);
  decipher.setAAD(file.subarray(0, HEADER_BYTES));
  decipher.setAuthTag(file.subarray(file.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(file.subarray(HEADER_BYTES, file.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw corrupt(path, 'it fails its integrity check');
  }
}

function readHeader(file: Buffer, path: string): SecretFileHeader {
  if (file.length < HEADER_BYTES + TAG_BYTES || !file.subarray(0, MAGIC.length).equals(MAGIC)) throw corrupt(path, 'it is not a Fieldrun secrets file');
  let at = MAGIC.length;
  const version = file.readUInt8(at++);
  if (version > SECRET_FILE_VERSION) {
    throw new AppError('KEY_STORE_TOO_NEW', `The signing key store ${path} was written by a newer Fieldrun (format ${version}). Update Fieldrun to open it.`, { path, version });
  }
  if (version !== SECRET_FILE_VERSION) throw corrupt(path, `its format ${version} does not exist`);
  if (file.readUInt8(at++) !== KDF_SCRYPT) throw corrupt(path, 'it names an unknown key derivation');
  const parameters: ScryptParameters = { log2N: file.readUInt8(at), r: file.readUInt32BE(at + 1), p: file.readUInt32BE(at + 5) };
  at += 9;
  if (parameters.log2N < 10 || parameters.r < 1 || parameters.p < 1 || scryptMemory(parameters) > MAX_SCRYPT_MEMORY || parameters.p > 16) {
    throw corrupt(path, 'its key-derivation parameters are out of range');
  }
  const salt = Buffer.from(file.subarray(at, at + SALT_BYTES));
  const check = Buffer.from(file.subarray(at + SALT_BYTES, at + SALT_BYTES + CHECK_BYTES));
  return { parameters, salt, check };
}

function corrupt(path: string, problem: string): AppError {
  return new AppError('KEY_STORE_CORRUPT', `The signing key store ${path} is damaged: ${problem}. Restore it from a backup, or remove it and create or import the signing key again.`, {
    path,
    problem,
  });
}
