import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import { verifyPlanSignature } from '../sshsig';
import type { PlanSource } from './planSource';

export interface PlanAcknowledgement {
  /** Why the technician accepts a plan that no trusted head-office key vouches for. */
  readonly note: string;
  readonly at: string;
  /**
   * The plan's SHA-256 the technician was shown (PLAN_NOT_TRUSTED's details.planHash): the
   * acknowledgement holds only for those bytes, never for a file swapped in since.
   */
  readonly expectSha256?: string;
}

/** The technician's acknowledgement as the contract carries it, stamped with the time it was given. */
export function acknowledgementOf(input: { readonly note: string; readonly expectSha256?: string | undefined } | undefined, now: Date): PlanAcknowledgement | undefined {
  if (input === undefined) return undefined;
  return { note: input.note, at: now.toISOString(), ...(input.expectSha256 === undefined ? {} : { expectSha256: input.expectSha256 }) };
}

export interface PlanTrustOptions {
  /** Head office's plan signers in allowed_signers format ('' when none are configured). */
  readonly trustedPlanSigners: string;
  /** Present when the technician explicitly accepts an unsigned or untrusted plan. */
  readonly acknowledgement?: PlanAcknowledgement;
}

export interface PlanSignatureJudgement {
  readonly status: 'unsigned' | 'valid-trusted' | 'valid-untrusted';
  readonly details: { readonly signer?: { publicKey: string; fingerprint: string; principals: readonly string[] }; readonly reason?: string };
}

/**
 * The plan's signature against the trusted signers. An invalid signature (other bytes, another
 * namespace, a damaged file) refuses the import outright; an unsigned plan or one signed by an
 * unknown key is accepted only with an acknowledgement, which is stored with the plan.
 */
export function judgePlanSignature(source: PlanSource, trust: PlanTrustOptions): PlanSignatureJudgement {
  if (source.signature === undefined) {
    requireAcknowledgement(trust, source, 'unsigned', `${source.name} carries no head-office signature (${source.planFileName}.sig).`);
    return { status: 'unsigned', details: {} };
  }
  const verdict = verifyPlanSignature({ planBytes: source.planBytes, armored: source.signature, trustedSigners: trust.trustedPlanSigners });
  if (verdict.status === 'invalid') {
    throw new AppError(
      'PLAN_SIGNATURE_INVALID',
      `The signature of ${source.name} does not verify: ${verdict.reason ?? 'unknown reason'}. The plan may have been changed after head office signed it: do not use it; ask head office for a fresh copy.`,
      { reason: verdict.reason ?? '' },
    );
  }
  const signer = verdict.signer === undefined ? undefined : { publicKey: verdict.signer.publicKey, fingerprint: verdict.signer.fingerprint, principals: [...verdict.signer.principals] };
  if (verdict.status === 'valid-untrusted') {
    requireAcknowledgement(trust, source, 'valid-untrusted', `${source.name} is signed by ${signer?.fingerprint ?? 'a key'}, which is not among the trusted plan signers.`, signer);
  }
  return { status: verdict.status, details: signer === undefined ? {} : { signer } };
}

/** The hash a plan is stored and acknowledged under: SHA-256 of its plan document's bytes. */
export function planHashOf(source: PlanSource): string {
  return createHash('sha256').update(source.planBytes).digest('hex');
}

function requireAcknowledgement(trust: PlanTrustOptions, source: PlanSource, status: string, why: string, signer?: { fingerprint: string }): void {
  const planHash = planHashOf(source);
  const acknowledgement = trust.acknowledgement;
  if (acknowledgement === undefined) {
    throw new AppError('PLAN_NOT_TRUSTED', `${why} Import it only if you know where it comes from, with an acknowledgement that says why; it will show in the report.`, {
      status,
      planHash,
      ...(signer === undefined ? {} : { signerFingerprint: signer.fingerprint }),
    });
  }
  if (acknowledgement.expectSha256 !== undefined && acknowledgement.expectSha256 !== planHash) {
    throw new AppError(
      'PLAN_ACKNOWLEDGEMENT_STALE',
      `${source.name} is not the plan you acknowledged: its SHA-256 is ${planHash}, you were shown ${acknowledgement.expectSha256}. The file changed in between; nothing was imported. Look at the plan again before you accept it.`,
      { status, planHash, expectSha256: acknowledgement.expectSha256 },
    );
  }
}
