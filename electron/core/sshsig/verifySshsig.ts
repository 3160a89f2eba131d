import { isAppError, type ErrorCode } from '../../../shared/errors';
import { dearmorSignature } from './armor';
import { verifyKeySignature } from './keySignature';
import { fingerprintOfBlob, publicKeyLineOfBlob } from './publicKeys';
import { decodeSshsigBlob, isSupportedHashAlgorithm, signedData, type ParsedSshsig } from './sshsigBlob';

/** Reads an armored SSH signature; throws AppError SIGNATURE_MALFORMED or SIGNATURE_UNSUPPORTED with the precise problem. */
export function parseSshsig(armored: string | Buffer): ParsedSshsig {
  return decodeSshsigBlob(dearmorSignature(armored));
}

export interface VerifySshsigInput {
  readonly message: Buffer;
  readonly armored: string | Buffer;
  /** The namespace the caller expects, e.g. REPORT_NAMESPACE; a signature made for another is refused. */
  readonly namespace: string;
}

export interface SshsigSigner {
  /** `ssh-ed25519 AAAA…`, without comment. */
  readonly publicKey: string;
  /** `SHA256:…` as `ssh-keygen -l` prints it. */
  readonly fingerprint: string;
}

export type VerifySshsigResult =
  | ({ readonly ok: true; readonly keyType: string; readonly hashAlgorithm: string } & SshsigSigner)
  | { readonly ok: false; readonly code: ErrorCode; readonly reason: string };

/**
 * Checks that `armored` is a good signature over `message` for `namespace`. It says who signed,
 * never whether that signer is trusted: that is verifyWithAllowedSigners' job.
 */
export function verifySshsig(input: VerifySshsigInput): VerifySshsigResult {
  let parsed: ParsedSshsig;
  try {
    parsed = parseSshsig(input.armored);
  } catch (error) {
    if (isAppError(error)) return { ok: false, code: error.code, reason: error.message };
    throw error;
  }
  if (parsed.namespace !== input.namespace) {
    return {
      ok: false,
      code: 'SIGNATURE_NAMESPACE_MISMATCH',
      reason: `The signature was made for the namespace "${parsed.namespace}", but "${input.namespace}" is required: it signs something else and does not count here.`,
    };
  }
  if (!isSupportedHashAlgorithm(parsed.hashAlgorithm)) {
    return {
      ok: false,
      code: 'SIGNATURE_UNSUPPORTED',
      reason: `The signature hashes the data with "${parsed.hashAlgorithm}"; only sha256 and sha512 are defined for SSH signatures. Sign again with ssh-keygen or Fieldrun.`,
    };
  }
  let good: boolean;
  try {
    good = verifyKeySignature(parsed.publicKey, parsed.signature, signedData(input.message, parsed.namespace, parsed.hashAlgorithm));
  } catch (error) {
    if (isAppError(error)) return { ok: false, code: error.code, reason: error.message };
    throw error;
  }
  if (!good) {
    return {
      ok: false,
      code: 'SIGNATURE_INVALID',
      reason: `The signature by ${fingerprintOfBlob(parsed.publicKey)} does not match the data: the data or the signature was changed after signing, or the signature belongs to other data.`,
    };
  }
  return {
    ok: true,
    keyType: parsed.keyType,
    hashAlgorithm: parsed.hashAlgorithm,
    publicKey: publicKeyLineOfBlob(parsed.publicKey),
    fingerprint: fingerprintOfBlob(parsed.publicKey),
  };
}
