import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, createHostKeyPolicy, type SshConnection } from '../../../../electron/core/ssh/connection';
import { startTestLab, type TestLab } from '../../../hosts';
import { askingPolicy, AUTH_ATTEMPT, endpointOf, keyOptions, run } from './labEndpoints';

let lab: TestLab;
const open: SshConnection[] = [];

beforeAll(async () => {
  lab = await startTestLab({ hosts: ['web1', 'web2', 'db1'] });
});

afterAll(async () => {
  for (const connection of open) connection.close();
  await Promise.all(open.map((c) => c.closed));
  await lab?.stop();
});

/** Waits until sshd has written the end of a refused connection to its log. */
async function settledLog(hostName: string, before: number): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const added = lab.host(hostName).sshdLog().slice(before);
    if (/Disconnected from|Connection closed by|Connection reset/.test(added)) return added;
    await new Promise((r) => setTimeout(r, 20));
  }
  return lab.host(hostName).sshdLog().slice(before);
}

describe('host keys against real sshd', () => {
  it('a pinned key that matches connects', async () => {
    const connection = await connect(endpointOf(lab, 'web1'), keyOptions(lab));
    open.push(connection);
    expect(connection.hostKeyVerdict).toEqual({ kind: 'pinned' });
    expect(lab.host('web1').hostKeys.map((k) => k.fingerprint)).toContain(connection.presentedKey.fingerprint);
    expect((await run(connection, 'echo ok')).stdout).toBe('ok\n');
  });

  it('a pinned key that differs fails with both fingerprints, and sshd saw no authentication attempt', async () => {
    const web1 = endpointOf(lab, 'web1', { pins: ['ssh-ed25519'] });
    const web2Key = lab.host('web2').hostKeys.find((k) => k.type === 'ssh-ed25519')!;
    const presented = web1.pinnedKeys[0]!.fingerprint;
    const impostor = { ...web1, pinnedKeys: [{ type: 'ssh-ed25519', fingerprint: web2Key.fingerprint }] };
    const before = lab.host('web1').sshdLog().length;
    const options = keyOptions(lab, { credentials: [{ name: 'all', appliesTo: { all: true }, credentials: [{ kind: 'password', password: lab.user.password }, { kind: 'privateKey', keyPath: lab.user.privateKeyPath }] }] });

    const error = await connect(impostor, options).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'SSH_HOST_KEY_MISMATCH',
      details: { expected: [{ fingerprint: web2Key.fingerprint }], presented: { type: 'ssh-ed25519', fingerprint: presented } },
    });
    expect((error as Error).message).toContain(web2Key.fingerprint);
    expect((error as Error).message).toContain(presented);

    const added = await settledLog('web1', before);
    expect(added).toMatch(/Connection from/);
    expect(added.split('\n').filter((line) => AUTH_ATTEMPT.test(line))).toEqual([]);
  });

  it('an unknown key asks the policy; "reject" connects nothing and sends no credential', async () => {
    const { policy, asked } = askingPolicy('reject');
    const before = lab.host('web2').sshdLog().length;
    const error = await connect(endpointOf(lab, 'web2', { pins: 'none' }), keyOptions(lab, { hostKeys: policy })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SSH_HOST_KEY_REJECTED' });
    expect(asked).toHaveLength(1);
    expect(asked[0]!.host).toBe('web2');
    expect(lab.host('web2').hostKeys.map((k) => k.fingerprint)).toContain(asked[0]!.key.fingerprint);
    const added = await settledLog('web2', before);
    expect(added.split('\n').filter((line) => AUTH_ATTEMPT.test(line))).toEqual([]);
  });

  it('an unknown key accepted and remembered is known next time, and only its type is negotiated', async () => {
    const { policy, asked } = askingPolicy('accept-and-remember');
    const first = await connect(endpointOf(lab, 'web2', { pins: 'none' }), keyOptions(lab, { hostKeys: policy }));
    open.push(first);
    expect(first.hostKeyVerdict).toEqual({ kind: 'accepted-and-remembered' });
    const second = await connect(endpointOf(lab, 'web2', { pins: 'none' }), keyOptions(lab, { hostKeys: policy }));
    open.push(second);
    expect(second.hostKeyVerdict).toEqual({ kind: 'known' });
    expect(second.presentedKey.fingerprint).toBe(first.presentedKey.fingerprint);
    expect(asked).toHaveLength(1);
    expect(policy.remembered()).toMatchObject([{ hostName: 'web2', fingerprint: first.presentedKey.fingerprint }]);
  });

  it('a host pinned only by its RSA key connects using RSA', async () => {
    const connection = await connect(endpointOf(lab, 'db1', { pins: ['ssh-rsa'] }), keyOptions(lab));
    open.push(connection);
    expect(connection.presentedKey.type).toBe('ssh-rsa');
    expect(connection.presentedKey.fingerprint).toBe(lab.host('db1').hostKeys.find((k) => k.type === 'ssh-rsa')!.fingerprint);
    expect(connection.hostKeyVerdict).toEqual({ kind: 'pinned' });
  });

  it('a changed key connects only with the new fingerprint typed in and a reason', async () => {
    const web1 = endpointOf(lab, 'web1', { pins: ['ssh-ed25519'] });
    const stale = { ...web1, pinnedKeys: [{ type: 'ssh-ed25519', fingerprint: lab.host('web2').hostKeys[0]!.fingerprint }] };
    const { policy } = askingPolicy('reject');
    policy.overrideHostKey({ host: 'web1', newFingerprint: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', reason: 'client says reinstalled' });
    await expect(connect(stale, keyOptions(lab, { hostKeys: policy }))).rejects.toMatchObject({ code: 'SSH_HOST_KEY_MISMATCH' });
    policy.overrideHostKey({ host: 'web1', newFingerprint: web1.pinnedKeys[0]!.fingerprint, reason: 'client says reinstalled' });
    const connection = await connect(stale, keyOptions(lab, { hostKeys: policy }));
    open.push(connection);
    expect(connection.hostKeyVerdict).toMatchObject({ kind: 'overridden', reason: 'client says reinstalled' });
  });

  it('the technician may take longer than the handshake timeout to decide', async () => {
    const policy = createHostKeyPolicy({ decideUnknown: () => new Promise((resolve) => setTimeout(() => resolve('accept-once'), 1_500)) });
    const connection = await connect(endpointOf(lab, 'web1', { pins: 'none' }), keyOptions(lab, { hostKeys: policy, handshakeTimeoutMs: 1_000 }));
    open.push(connection);
    expect(connection.hostKeyVerdict).toEqual({ kind: 'accepted-once' });
  });
});
