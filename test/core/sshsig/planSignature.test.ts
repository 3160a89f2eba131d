import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAN_NAMESPACE, REPORT_NAMESPACE, formatOpenSshPublicKey, signPlan, signSshsig, verifyPlanSignature, type NamespaceSigner } from '../../../electron/core/sshsig';
import { isAppError } from '../../../shared/errors';
import { makeKey, scratchDir, sshKeygenSign, sshKeygenVerify } from './sshKeygen';

const planBytes = Buffer.from('apiVersion: fieldrun/v1\nkind: InstallationPlan\nmetadata:\n  id: erp-rollout\n  version: 3\n');
const headOffice = generateKeyPairSync('ed25519');
const signer: NamespaceSigner = { sign: (message, namespace) => signSshsig({ message, namespace, privateKey: headOffice.privateKey }) };
const trustedSigners = `# plan signers\nplans@head-office.example namespaces="${PLAN_NAMESPACE}" ${formatOpenSshPublicKey(headOffice.publicKey)}\n`;

let scratch: ReturnType<typeof scratchDir>;
beforeAll(() => {
  scratch = scratchDir('plan-signature');
});
afterAll(() => scratch.cleanup());

describe('plan signatures', () => {
  it('signPlan writes a fieldrun-plan signature that ssh-keygen accepts and verifyPlanSignature trusts', () => {
    const armored = signPlan(planBytes, signer);
    const openssh = sshKeygenVerify(scratch.dir, { allowedSigners: trustedSigners, identity: 'plans@head-office.example', namespace: PLAN_NAMESPACE, armored, message: planBytes });
    expect(openssh.status, openssh.stderr).toBe(0);
    expect(verifyPlanSignature({ planBytes, armored, trustedSigners })).toEqual({
      status: 'valid-trusted',
      signer: { publicKey: formatOpenSshPublicKey(headOffice.publicKey), fingerprint: expect.stringMatching(/^SHA256:/), principals: ['plans@head-office.example'] },
    });
  });

  it('a good signature by a key not in the trusted list is valid-untrusted and names the key', () => {
    const stranger = generateKeyPairSync('ed25519');
    const armored = signSshsig({ message: planBytes, namespace: PLAN_NAMESPACE, privateKey: stranger.privateKey });
    const verdict = verifyPlanSignature({ planBytes, armored, trustedSigners });
    expect(verdict).toMatchObject({ status: 'valid-untrusted', code: 'SIGNER_UNTRUSTED', signer: { publicKey: formatOpenSshPublicKey(stranger.publicKey), principals: [] } });
    expect(verifyPlanSignature({ planBytes, armored, trustedSigners: '' })).toMatchObject({ status: 'valid-untrusted' });
  });

  it('a report signature never passes for a plan signature, even by a trusted key', () => {
    const armored = signSshsig({ message: planBytes, namespace: REPORT_NAMESPACE, privateKey: headOffice.privateKey });
    const verdict = verifyPlanSignature({ planBytes, armored, trustedSigners });
    expect(verdict).toMatchObject({ status: 'invalid', code: 'SIGNATURE_NAMESPACE_MISMATCH' });
    expect(verdict.signer).toBeUndefined();
    // Even a trust line without namespaces="…" does not help: the namespace is inside the signature.
    const unrestricted = `plans@head-office.example ${formatOpenSshPublicKey(headOffice.publicKey)}\n`;
    expect(verifyPlanSignature({ planBytes, armored, trustedSigners: unrestricted })).toMatchObject({ status: 'invalid' });
  });

  it('a trusted key limited to report signing is not trusted for plans', () => {
    const armored = signPlan(planBytes, signer);
    const reportOnly = `plans@head-office.example namespaces="${REPORT_NAMESPACE}" ${formatOpenSshPublicKey(headOffice.publicKey)}\n`;
    const verdict = verifyPlanSignature({ planBytes, armored, trustedSigners: reportOnly });
    expect(verdict).toMatchObject({ status: 'valid-untrusted' });
    expect(verdict.reason).toContain('only for namespaces "fieldrun-report", not "fieldrun-plan"');
  });

  it('an edited plan or a damaged signature is invalid with the reason', () => {
    const armored = signPlan(planBytes, signer);
    const edited = Buffer.from(planBytes.toString().replace('version: 3', 'version: 4'));
    expect(verifyPlanSignature({ planBytes: edited, armored, trustedSigners })).toMatchObject({ status: 'invalid', code: 'SIGNATURE_INVALID' });
    expect(verifyPlanSignature({ planBytes, armored: armored.slice(0, 80), trustedSigners })).toMatchObject({ status: 'invalid', code: 'SIGNATURE_MALFORMED' });
    expect(verifyPlanSignature({ planBytes, armored: 'not a signature', trustedSigners })).toMatchObject({ status: 'invalid', code: 'SIGNATURE_MALFORMED' });
  });

  it('trusts a plan head office signed with ssh-keygen and its existing ECDSA key', () => {
    const key = makeKey(scratch.dir, 'head-office-ecdsa', { type: 'ecdsa', bits: 256 });
    const armored = sshKeygenSign(key.privatePath, PLAN_NAMESPACE, planBytes);
    const verdict = verifyPlanSignature({ planBytes, armored, trustedSigners: `*@head-office.example ${key.publicLine}\n` });
    expect(verdict).toMatchObject({ status: 'valid-trusted', signer: { principals: ['*@head-office.example'] } });
  });

  it('a malformed trusted-signers list is a configuration error, not a verdict on the plan', () => {
    const armored = signPlan(planBytes, signer);
    let caught: unknown;
    try {
      verifyPlanSignature({ planBytes, armored, trustedSigners: 'plans@head-office.example namespaces=fieldrun-plan ssh-ed25519 AAAA\n' });
    } catch (error) {
      caught = error;
    }
    expect(isAppError(caught) && caught.code).toBe('ALLOWED_SIGNERS_INVALID');
  });
});
