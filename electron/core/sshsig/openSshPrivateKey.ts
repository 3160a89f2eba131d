import { createPrivateKey, type KeyObject } from 'node:crypto';
import ssh2, { type ParsedKey } from 'ssh2';
import { AppError } from '../../../shared/errors';
import { ED25519, ed25519BlobOf } from './publicKeys';
import { WireFormatError, WireReader } from './sshWire';

// OpenSSH private key files (PROTOCOL.key, "openssh-key-v1"). We read the unencrypted envelope
// ourselves — cipher, KDF, public key — so that every refusal has its own precise reason, and let
// ssh2's parser do the bcrypt_pbkdf and the decryption. Its verdicts are never matched on message
// text: the envelope already parsed, so a failure to decrypt can only mean the wrong passphrase.

const BEGIN = '-----BEGIN OPENSSH PRIVATE KEY-----';
const END = '-----END OPENSSH PRIVATE KEY-----';
const MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');

/** Ciphers ssh-keygen can write (-Z) that ssh2 can decrypt; chacha20-poly1305 keys are refused by name. */
const DECRYPTABLE_CIPHERS = new Set([
  'aes128-ctr',
  'aes192-ctr',
  'aes256-ctr',
  'aes128-cbc',
  'aes192-cbc',
  'aes256-cbc',
  'aes128-gcm@openssh.com',
  'aes256-gcm@openssh.com',
]);

export interface OpenSshKeyEnvelope {
  readonly cipher: string;
  readonly kdf: string;
  readonly encrypted: boolean;
  /** The public key blob stored in clear in the file. */
  readonly publicKey: Buffer;
  readonly keyType: string;
}

export interface OpenSshPrivateKey {
  readonly privateKey: KeyObject;
  readonly publicKey: Buffer;
  readonly comment: string;
}

/** The clear-text part of an OpenSSH private key: enough to say what it is before any passphrase. */
export function readOpenSshKeyEnvelope(text: string): OpenSshKeyEnvelope {
  const body = armoredBody(text);
  try {
    const reader = new WireReader(body);
    if (!reader.raw(MAGIC.length, 'the key header').equals(MAGIC)) throw new WireFormatError('the key header is not openssh-key-v1');
    const cipher = reader.text('the cipher name');
    const kdf = reader.text('the KDF name');
    reader.string('the KDF options');
    const count = reader.uint32('the key count');
    if (count !== 1) throw new WireFormatError(`the file holds ${count} keys, not one`);
    const publicKey = Buffer.from(reader.string('the public key'));
    const keyType = new WireReader(publicKey).text('the key type');
    reader.string('the private section');
    return { cipher, kdf, encrypted: cipher !== 'none', publicKey, keyType };
  } catch (error) {
    if (error instanceof WireFormatError) throw invalidKey(`it is damaged: ${error.message}`);
    throw error;
  }
}

/**
 * An Ed25519 private key from an OpenSSH private key file (as `ssh-keygen -t ed25519` writes it),
 * decrypted with `passphrase` when the file is protected (bcrypt KDF, AES).
 */
export function readOpenSshPrivateKey(text: string, passphrase?: string | Buffer): OpenSshPrivateKey {
  const envelope = readOpenSshKeyEnvelope(text);
  if (envelope.keyType !== ED25519) {
    throw new AppError('KEY_UNSUPPORTED', `The key is ${envelope.keyType}; Fieldrun signs with Ed25519 keys only. Choose an Ed25519 key, or create one with "ssh-keygen -t ed25519".`, {
      keyType: envelope.keyType,
    });
  }
  if (envelope.encrypted) {
    if (envelope.kdf !== 'bcrypt') throw invalidKey(`it is encrypted with the unknown KDF "${envelope.kdf}"`);
    if (!DECRYPTABLE_CIPHERS.has(envelope.cipher)) {
      throw new AppError(
        'KEY_UNSUPPORTED',
        `The key is encrypted with ${envelope.cipher}, which Fieldrun cannot decrypt. Re-encrypt a copy with "ssh-keygen -p -Z aes256-ctr -f <copy>" and choose that.`,
        { cipher: envelope.cipher },
      );
    }
    if (passphrase === undefined || passphrase.length === 0) {
      throw new AppError('SSH_PASSPHRASE_REQUIRED', 'The key is protected by a passphrase. Enter its passphrase to use it.');
    }
  } else if (envelope.kdf !== 'none') {
    throw invalidKey('it names a KDF but no cipher');
  }
  const parsed = ssh2.utils.parseKey(normalized(text), envelope.encrypted ? passphrase : undefined);
  const key = Array.isArray(parsed) ? (parsed[0] as unknown) : parsed;
  if (key instanceof Error || key === undefined) {
    if (envelope.encrypted) throw new AppError('KEY_PASSPHRASE_WRONG', 'The passphrase does not open this key. Check it and try again.');
    throw invalidKey('its private part is damaged');
  }
  const parsedKey = key as ParsedKey;
  // getPrivatePEM() is null for a public key, whatever its declared type says.
  const pem: string | null = parsedKey.getPrivatePEM();
  if (parsedKey.type !== ED25519 || pem === null || pem === '') throw invalidKey('its private part does not hold an Ed25519 key');
  const privateKey = createPrivateKey(pem);
  // The public half stored in clear must be the one the private half makes; otherwise the file was pieced together.
  if (!ed25519BlobOf(privateKey).equals(envelope.publicKey)) throw invalidKey('its public and private halves do not belong together');
  return { privateKey, publicKey: envelope.publicKey, comment: parsedKey.comment };
}

function armoredBody(text: string): Buffer {
  const trimmed = text.trim();
  if (!trimmed.startsWith(BEGIN)) {
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(trimmed)) {
      throw new AppError('KEY_UNSUPPORTED', 'The key is in PEM format; Fieldrun reads OpenSSH keys. Convert a copy with "ssh-keygen -p -f <copy>" (it rewrites it in OpenSSH format) and choose that.');
    }
    throw invalidKey(`it does not start with ${BEGIN}`);
  }
  const endAt = trimmed.indexOf(END);
  if (endAt < 0 || trimmed.slice(endAt + END.length) !== '') throw invalidKey(`it does not end with ${END}`);
  const base64 = trimmed.slice(BEGIN.length, endAt).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) throw invalidKey('its body is not base64');
  return Buffer.from(base64, 'base64');
}

/** ssh2 wants the exact BEGIN/END framing with the body between; editors add CRLFs and blank lines. */
function normalized(text: string): string {
  const trimmed = text.trim();
  const body = trimmed.slice(BEGIN.length, trimmed.indexOf(END)).replace(/\s+/g, '');
  const lines = body.match(/.{1,70}/g) ?? [];
  return `${BEGIN}\n${lines.join('\n')}\n${END}\n`;
}

function invalidKey(problem: string): AppError {
  return new AppError('SSH_KEY_INVALID', `This is not a usable OpenSSH private key: ${problem}. Choose the private key file (not the .pub), as ssh-keygen wrote it.`, { problem });
}
