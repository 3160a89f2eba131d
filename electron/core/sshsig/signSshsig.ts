import { sign as cryptoSign, type KeyObject } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import { armorSignature } from './armor';
import { ED25519, ed25519BlobOf } from './publicKeys';
import { SIGNING_HASH_ALGORITHM, assertNamespace, encodeSshsigBlob, signedData } from './sshsigBlob';
import { wireString } from './sshWire';

export interface SignSshsigInput {
  readonly message: Buffer;
  readonly namespace: string;
  /** An Ed25519 private key. */
  readonly privateKey: KeyObject;
}

/**
 * An armored SSH signature (PROTOCOL.sshsig, sha512), the same bytes `ssh-keygen -Y sign -n
 * <namespace>` writes for this key and message: Ed25519 signatures are deterministic.
 */
export function signSshsig(input: SignSshsigInput): string {
  assertNamespace(input.namespace);
  if (input.privateKey.type !== 'private') {
    throw new AppError('KEY_UNSUPPORTED', 'Signing needs the private key, but a public key was given. Load the signing identity first.');
  }
  const publicKey = ed25519BlobOf(input.privateKey);
  const raw = cryptoSign(null, signedData(input.message, input.namespace, SIGNING_HASH_ALGORITHM), input.privateKey);
  const signature = Buffer.concat([wireString(ED25519), wireString(raw)]);
  return armorSignature(encodeSshsigBlob({ publicKey, namespace: input.namespace, hashAlgorithm: SIGNING_HASH_ALGORITHM, signature }));
}
