import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkHostKey, negotiableHostKeyAlgorithms } from '../../../../electron/core/ssh/connection/hostKeyCheck';
import { presentedKeyOf } from '../../../../electron/core/ssh/connection/hostKeyFormat';
import { createHostKeyPolicy } from '../../../../electron/core/ssh/connection/hostKeyPolicy';
import { parseKnownHosts } from '../../../../electron/core/ssh/connection/knownHosts';
import type { HostEndpoint, HostKeyDecision, PresentedHostKey } from '../../../../electron/core/ssh/connection/types';

const KEYS = join(__dirname, '../../../hosts/keys');
const keyLine = (file: string): string => readFileSync(join(KEYS, file), 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
const presented = (file: string): PresentedHostKey => presentedKeyOf(Buffer.from(keyLine(file).split(' ')[1]!, 'base64'));

const web1Ed = presented('web1_ed25519.pub');
const web1Rsa = presented('web1_rsa.pub');
const web2Ed = presented('web2_ed25519.pub');

const host = (pins: Array<{ type: string; fingerprint: string }> = []): HostEndpoint => ({
  name: 'web1',
  address: '198.18.0.10',
  port: 22,
  user: 'fieldrun',
  pinnedKeys: pins,
  tags: [],
});

function policyAnswering(decision: HostKeyDecision) {
  const asked: PresentedHostKey[] = [];
  const policy = createHostKeyPolicy({
    decideUnknown: async (_host, key) => {
      asked.push(key);
      return decision;
    },
  });
  return { policy, asked };
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string; details?: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string; details?: Record<string, unknown> };
  }
  throw new Error('expected a failure');
}

describe('host key decisions', () => {
  it('a pinned key that matches connects without asking anyone', async () => {
    const { policy, asked } = policyAnswering('reject');
    await expect(checkHostKey(host([{ type: 'ED25519', fingerprint: web1Ed.fingerprint }]), web1Ed, policy)).resolves.toEqual({ kind: 'pinned' });
    expect(asked).toEqual([]);
  });

  it('a pinned key that differs fails with both fingerprints and never asks', async () => {
    const { policy, asked } = policyAnswering('accept-once');
    const error = await failure(checkHostKey(host([{ type: 'ssh-ed25519', fingerprint: web1Ed.fingerprint }]), web2Ed, policy));
    expect(error.code).toBe('SSH_HOST_KEY_MISMATCH');
    expect(error.message).toContain(web1Ed.fingerprint);
    expect(error.message).toContain(web2Ed.fingerprint);
    expect(error.message).toMatch(/reason/);
    expect(error.details).toMatchObject({ expected: [{ fingerprint: web1Ed.fingerprint }], presented: { fingerprint: web2Ed.fingerprint } });
    expect(asked).toEqual([]);
  });

  it('an override passes only with the presented fingerprint typed in and a reason', async () => {
    const { policy } = policyAnswering('reject');
    const pinned = host([{ type: 'ssh-ed25519', fingerprint: web1Ed.fingerprint }]);
    policy.overrideHostKey({ host: 'web1', newFingerprint: web1Rsa.fingerprint, reason: 'server reinstalled, per client' });
    expect((await failure(checkHostKey(pinned, web2Ed, policy))).details).toMatchObject({ overrideFingerprint: web1Rsa.fingerprint });
    policy.overrideHostKey({ host: 'web1', newFingerprint: web2Ed.fingerprint.replace('SHA256:', ''), reason: '' });
    expect((await failure(checkHostKey(pinned, web2Ed, policy))).code).toBe('SSH_HOST_KEY_MISMATCH');
    policy.overrideHostKey({ host: 'web1', newFingerprint: web2Ed.fingerprint.replace('SHA256:', ''), reason: 'server reinstalled, per client' });
    await expect(checkHostKey(pinned, web2Ed, policy)).resolves.toMatchObject({ kind: 'overridden', reason: 'server reinstalled, per client' });
    expect(negotiableHostKeyAlgorithms(pinned, policy)).toBeUndefined();
  });

  it('an unknown key is asked about; reject refuses, accept-and-remember makes it known', async () => {
    const refusing = policyAnswering('reject');
    expect((await failure(checkHostKey(host(), web1Ed, refusing.policy))).code).toBe('SSH_HOST_KEY_REJECTED');
    expect(refusing.asked.map((k) => k.fingerprint)).toEqual([web1Ed.fingerprint]);

    const accepting = policyAnswering('accept-and-remember');
    await expect(checkHostKey(host(), web1Ed, accepting.policy)).resolves.toEqual({ kind: 'accepted-and-remembered' });
    await expect(checkHostKey(host(), web1Ed, accepting.policy)).resolves.toEqual({ kind: 'known' });
    expect(accepting.asked).toHaveLength(1);
    expect(accepting.policy.remembered()).toMatchObject([{ hostName: 'web1', fingerprint: web1Ed.fingerprint, publicKey: web1Ed.publicKey }]);
    expect((await failure(checkHostKey(host(), web2Ed, accepting.policy))).code).toBe('SSH_HOST_KEY_MISMATCH');
    expect(negotiableHostKeyAlgorithms(host(), accepting.policy)).toEqual(['ssh-ed25519']);
  });

  it('accept-once is not remembered', async () => {
    const once = policyAnswering('accept-once');
    await checkHostKey(host(), web1Ed, once.policy);
    await checkHostKey(host(), web1Ed, once.policy);
    expect(once.asked).toHaveLength(2);
    expect(once.policy.remembered()).toEqual([]);
  });

  it('a policy that cannot ask yet fails with its own error (a pending question)', async () => {
    const policy = createHostKeyPolicy({
      decideUnknown: () => Promise.reject(Object.assign(new Error('not now'))),
    });
    const error = await failure(checkHostKey(host(), web1Ed, policy));
    expect(error.code).toBe('SSH_HOST_KEY_UNKNOWN');
    expect(error.details).toMatchObject({ presented: { fingerprint: web1Ed.fingerprint, publicKey: web1Ed.publicKey } });
  });

  it('known_hosts entries count as confirmed keys', async () => {
    const policy = createHostKeyPolicy({
      decideUnknown: async () => 'reject',
      knownHosts: parseKnownHosts(`198.18.0.10 ${keyLine('web1_rsa.pub')}\n@revoked 198.18.0.10 ${keyLine('web1_ed25519.pub')}\n`),
    });
    await expect(checkHostKey(host(), web1Rsa, policy)).resolves.toEqual({ kind: 'known' });
    expect(negotiableHostKeyAlgorithms(host(), policy)).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
  });
});
