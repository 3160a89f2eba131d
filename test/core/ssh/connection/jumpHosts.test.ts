import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type ConnectOptions, type SshConnection } from '../../../../electron/core/ssh/connection';
import { startTestLab, type TestLab } from '../../../hosts';
import { askingPolicy, AUTH_ATTEMPT, endpointOf, run } from './labEndpoints';

let lab: TestLab;
const open: SshConnection[] = [];

beforeAll(async () => {
  lab = await startTestLab({
    hosts: ['jump1', { name: 'jump2', behind: 'jump1' }, { name: 'jump3', behind: 'jump2' }, { name: 'app2', behind: 'jump3' }],
  });
});

afterAll(async () => {
  for (const connection of open) connection.close();
  await Promise.all(open.map((c) => c.closed));
  await lab?.stop();
});

/** Jump hosts log in by password, the target by its passphrase-protected key: each hop its own credentials. */
function chainOptions(lines: string[]): ConnectOptions {
  return {
    credentials: [
      { name: 'jumps', appliesTo: { hosts: ['jump1', 'jump2', 'jump3'] }, credentials: [{ kind: 'password', password: lab.user.password }] },
      { name: 'targets', appliesTo: { hosts: ['app2'] }, credentials: [{ kind: 'privateKey', keyPath: lab.user.encryptedKeyPath, passphrase: lab.user.passphrase }] },
    ],
    hostKeys: askingPolicy('reject').policy,
    log: (line) => lines.push(line),
  };
}

describe('jump host chains against real sshd', () => {
  it('reach a target only reachable through jump1 → jump2 → jump3, checking every hop', async () => {
    if (lab.mode !== 'namespaces') throw new Error('jump chains need the namespaced lab (run as root): loopback hosts are all directly reachable');
    expect(lab.host('app2').directlyReachable).toBe(false);
    const lines: string[] = [];
    const started = Date.now();
    const connection = await connect(endpointOf(lab, 'app2'), chainOptions(lines));
    open.push(connection);
    const elapsed = Date.now() - started;
    console.log(`3-hop jump chain connected in ${elapsed} ms`);

    expect(connection.hostKeyVerdict).toEqual({ kind: 'pinned' });
    expect(connection.authenticatedWith).toContain(lab.user.encryptedKeyPath);
    for (const hop of ['jump1', 'jump2', 'jump3', 'app2']) {
      const fingerprints = lab.host(hop).hostKeys.map((k) => k.fingerprint);
      const checked = lines.find((line) => line.startsWith(`${hop}: host key `) && line.endsWith(' pinned'));
      expect(checked, `${hop} host key checked`).toBeDefined();
      expect(fingerprints.some((fp) => checked!.includes(fp))).toBe(true);
    }
    expect(lines.filter((line) => /^jump\d: logged in as fieldrun with password$/.test(line))).toHaveLength(3);
    expect((await run(connection, 'hostname')).stdout.trim()).toBe('app2');
    const sftp = await connection.sftp();
    const listing = await new Promise<string[]>((resolve, reject) => sftp.readdir('/etc', (e, list) => (e ? reject(e) : resolve(list.map((f) => f.filename)))));
    expect(listing).toContain('os-release');
    sftp.end();
  });

  it('a wrong pin on jump2 stops the chain there: nothing is sent to jump2 or beyond', async () => {
    const target = endpointOf(lab, 'app2');
    const jump2 = target.jump!.jump!;
    jump2.pinnedKeys = [{ type: 'ssh-ed25519', fingerprint: lab.host('jump1').hostKeys[0]!.fingerprint }];
    const before = { jump2: lab.host('jump2').sshdLog().length, jump3: lab.host('jump3').sshdLog().length, app2: lab.host('app2').sshdLog().length };

    const error = await connect(target, chainOptions([])).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SSH_HOST_KEY_MISMATCH', details: { host: 'jump2' } });
    await new Promise((r) => setTimeout(r, 200));
    expect(lab.host('jump2').sshdLog().slice(before.jump2).split('\n').filter((l) => AUTH_ATTEMPT.test(l))).toEqual([]);
    expect(lab.host('jump3').sshdLog().slice(before.jump3)).not.toMatch(/Connection from/);
    expect(lab.host('app2').sshdLog().slice(before.app2)).not.toMatch(/Connection from/);
  });

  it('a jump chain that loops is refused before connecting', async () => {
    const target = endpointOf(lab, 'app2');
    target.jump!.jump!.jump = target;
    await expect(connect(target, chainOptions([]))).rejects.toMatchObject({ code: 'SSH_JUMP_LOOP' });
  });
});
