// SSH signatures (PROTOCOL.sshsig), allowed_signers and OpenSSH key formats: what the report
// bundle, `fieldrun report verify` and plan import build on.
export { REPORT_NAMESPACE, PLAN_NAMESPACE } from './namespaces';
export { signSshsig, type SignSshsigInput } from './signSshsig';
export { parseSshsig, verifySshsig, type SshsigSigner, type VerifySshsigInput, type VerifySshsigResult } from './verifySshsig';
export type { ParsedSshsig } from './sshsigBlob';
export { parseAllowedSigners, type AllowedSigner } from './allowedSigners';
export { findAllowedSigner, type AllowedSignerMatch, type FindAllowedSignerQuery } from './findAllowedSigner';
export { verifyWithAllowedSigners, type VerifyWithAllowedSignersInput, type VerifyWithAllowedSignersResult } from './verifyWithAllowedSigners';
export { formatOpenSshPublicKey, fingerprintOfBlob, parseOpenSshPublicKey, publicKeyLineOfBlob, ed25519BlobOf, type SshPublicKey } from './publicKeys';
export { readOpenSshPrivateKey, readOpenSshKeyEnvelope, type OpenSshPrivateKey, type OpenSshKeyEnvelope } from './openSshPrivateKey';
export { VERIFIABLE_KEY_TYPES } from './keySignature';
export {
  signPlan,
  verifyPlanSignature,
  type NamespaceSigner,
  type PlanSignatureStatus,
  type PlanSignatureVerdict,
  type PlanSigner,
  type VerifyPlanSignatureInput,
} from './planSignature';
