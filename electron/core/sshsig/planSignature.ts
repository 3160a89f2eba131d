import type { ErrorCode } from '../../../shared/errors';
import type { AllowedSigner } from './allowedSigners';
import { PLAN_NAMESPACE } from './namespaces';
import { verifyWithAllowedSigners } from './verifyWithAllowedSigners';

/** Anything that makes SSH signatures with its own key; a SigningIdentity is one. */
export interface NamespaceSigner {
  sign(message: Buffer, namespace: string): string;
}

/** The `plan.yaml.sig` text for these plan bytes, in the plan namespace. */
export function signPlan(planBytes: Buffer, signer: NamespaceSigner): string {
  return signer.sign(planBytes, PLAN_NAMESPACE);
}

/** The statuses of a present signature, as stored in `plans.signature_status` ('unsigned' is the import's to set). */
export type PlanSignatureStatus = 'valid-trusted' | 'valid-untrusted' | 'invalid';

export interface PlanSigner {
  readonly publicKey: string;
  readonly fingerprint: string;
  /** The principals the trusted signers list gives this key; empty when untrusted. */
  readonly principals: readonly string[];
}

export interface PlanSignatureVerdict {
  readonly status: PlanSignatureStatus;
  /** Present when the signature is valid, trusted or not. */
  readonly signer?: PlanSigner;
  /** Why it is not valid-trusted. */
  readonly reason?: string;
  readonly code?: ErrorCode;
}

export interface VerifyPlanSignatureInput {
  readonly planBytes: Buffer;
  readonly armored: string | Buffer;
  /** The trusted plan signers, in allowed_signers format; empty means no one is trusted yet. */
  readonly trustedSigners: string | readonly AllowedSigner[];
  readonly at?: Date;
}

/**
 * The verdict on a plan's signature against head office's trusted signers. A malformed signature,
 * one over other bytes, or one made in another namespace (a report's) is 'invalid'; a good
 * signature by a key not trusted for plans is 'valid-untrusted'. A malformed trusted-signers text
 * throws ALLOWED_SIGNERS_INVALID: that is the configuration's fault, not the plan's.
 */
export function verifyPlanSignature(input: VerifyPlanSignatureInput): PlanSignatureVerdict {
  const result = verifyWithAllowedSigners({
    message: input.planBytes,
    armored: input.armored,
    namespace: PLAN_NAMESPACE,
    allowedSigners: input.trustedSigners,
    ...(input.at === undefined ? {} : { at: input.at }),
  });
  if (result.ok) {
    return { status: 'valid-trusted', signer: { publicKey: result.publicKey, fingerprint: result.fingerprint, principals: result.principals } };
  }
  if (result.signer !== undefined) {
    return { status: 'valid-untrusted', signer: { ...result.signer, principals: [] }, reason: result.reason, code: result.code };
  }
  return { status: 'invalid', reason: result.reason, code: result.code };
}
