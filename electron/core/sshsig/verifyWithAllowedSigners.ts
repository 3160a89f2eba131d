import type { ErrorCode } from '../../../shared/errors';
import { parseAllowedSigners, type AllowedSigner } from './allowedSigners';
import { findAllowedSigner } from './findAllowedSigner';
import { verifySshsig, type SshsigSigner } from './verifySshsig';

export interface VerifyWithAllowedSignersInput {
  readonly message: Buffer;
  readonly armored: string | Buffer;
  readonly namespace: string;
  /** The allowed_signers text (or its parsed lines). A malformed file throws ALLOWED_SIGNERS_INVALID. */
  readonly allowedSigners: string | readonly AllowedSigner[];
  /** The principal the signature must be from (ssh-keygen -I); without it, any listed principal. */
  readonly identity?: string;
  readonly at?: Date;
}

export type VerifyWithAllowedSignersResult =
  | ({ readonly ok: true; readonly principals: readonly string[] } & SshsigSigner)
  /** `signer` is present only when the signature itself is good and the key is not trusted (SIGNER_UNTRUSTED). */
  | { readonly ok: false; readonly code: ErrorCode; readonly reason: string; readonly signer?: SshsigSigner };

/** `ssh-keygen -Y verify` (with identity) or `-Y find-principals` + verify (without): a good signature by a trusted key. */
export function verifyWithAllowedSigners(input: VerifyWithAllowedSignersInput): VerifyWithAllowedSignersResult {
  const entries = typeof input.allowedSigners === 'string' ? parseAllowedSigners(input.allowedSigners) : input.allowedSigners;
  const verified = verifySshsig({ message: input.message, armored: input.armored, namespace: input.namespace });
  if (!verified.ok) return verified;
  const signer: SshsigSigner = { publicKey: verified.publicKey, fingerprint: verified.fingerprint };
  const match = findAllowedSigner(entries, {
    publicKey: verified.publicKey,
    namespace: input.namespace,
    ...(input.identity === undefined ? {} : { identity: input.identity }),
    ...(input.at === undefined ? {} : { at: input.at }),
  });
  if (!match.found) {
    return { ok: false, code: 'SIGNER_UNTRUSTED', reason: `UNTRUSTED: the signature is valid, but ${lowerFirst(match.reason)}`, signer };
  }
  return { ok: true, ...signer, principals: match.principals };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
