import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type ConnectOptions, type Credential, type SshConnection } from '../../../../electron/core/ssh/connection';
import { startTestLab, type TestLab } from '../../../hosts';
import { askingPolicy, endpointOf, run } from './labEndpoints';

let lab: TestLab;
const open: SshConnection[] = [];
const logLines: string[] = [];
let agent: ChildProcess | undefined;
const agentDir = mkdtempSync(join(tmpdir(), 'fieldrun-agent-'));

beforeAll(async () => {
  lab = await startTestLab({ hosts: ['web1', 'web2', 'app1'] });
});

afterAll(async () => {
  for (const connection of open) connection.close();
  await Promise.all(open.map((c) => c.closed));
  if (agent?.pid !== undefined) agent.kill('SIGTERM');
  rmSync(agentDir, { recursive: true, force: true });
  await lab?.stop();
});

function options(credentials: Credential[]): ConnectOptions {
  return {
    credentials: [{ name: 'test', appliesTo: { all: true }, credentials }],
    hostKeys: askingPolicy('reject').policy,
    log: (line) => logLines.push(line),
  };
}

async function loginWith(credentials: Credential[], hostName = 'web1'): Promise<SshConnection> {
  const connection = await connect(endpointOf(lab, hostName), options(credentials));
  open.push(connection);
  return connection;
}

async function whoami(connection: SshConnection): Promise<string> {
  return (await run(connection, 'id -un; hostname')).stdout.trim().replace('\n', '@');
}

describe('logins against real sshd', () => {
  it('private key file', async () => {
    const connection = await loginWith([{ kind: 'privateKey', keyPath: lab.user.privateKeyPath }]);
    expect(connection.authenticatedWith).toMatch(/^publickey ssh-ed25519 SHA256:/);
    expect(await whoami(connection)).toEqual(lab.mode === 'namespaces' ? 'fieldrun@web1' : expect.stringContaining('fieldrun'));
  });

  it('passphrase-protected key with its passphrase; without it the error asks for the passphrase', async () => {
    const connection = await loginWith([{ kind: 'privateKey', keyPath: lab.user.encryptedKeyPath, passphrase: lab.user.passphrase }]);
    expect(connection.authenticatedWith).toContain(lab.user.encryptedKeyPath);
    const refused = await connect(endpointOf(lab, 'web1'), options([{ kind: 'privateKey', keyPath: lab.user.encryptedKeyPath }])).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'SSH_PASSPHRASE_REQUIRED' });
  });

  it('ssh-agent (a real ssh-agent holding the key)', async () => {
    const socketPath = join(agentDir, 'agent.sock');
    agent = spawn('ssh-agent', ['-D', '-a', socketPath], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !existsSync(socketPath); i++) await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(socketPath), 'ssh-agent socket (package openssh-client)').toBe(true);
    execFileSync('ssh-add', [lab.user.privateKeyPath], { env: { ...process.env, SSH_AUTH_SOCK: socketPath }, stdio: 'ignore' });
    const connection = await loginWith([{ kind: 'agent', socketPath }]);
    expect(connection.authenticatedWith).toBe(`agent (${socketPath})`);
    expect(await whoami(connection)).toContain('fieldrun');
  });

  it('password', async () => {
    if (lab.mode !== 'namespaces') throw new Error('password login needs the namespaced lab (run as root)');
    const connection = await loginWith([{ kind: 'password', password: lab.user.password }]);
    expect(connection.authenticatedWith).toBe('password');
    expect(await whoami(connection)).toBe('fieldrun@web1');
  });

  it('keyboard-interactive (PAM), answering the prompts it shows', async () => {
    if (lab.mode !== 'namespaces') throw new Error('keyboard-interactive login needs the namespaced lab (run as root)');
    const prompts: Array<{ prompt: string; echo: boolean }> = [];
    const connection = await loginWith([
      {
        kind: 'keyboardInteractive',
        answers: async (asked) => {
          prompts.push(...asked);
          return asked.map(() => lab.user.password);
        },
      },
    ]);
    expect(connection.authenticatedWith).toBe('keyboard-interactive');
    expect(prompts).toEqual([{ prompt: expect.stringMatching(/password/i), echo: false }]);
    expect(await whoami(connection)).toBe('fieldrun@web1');
  });

  it('a wrong password fails naming the methods tried, never the password', async () => {
    const wrong = 'Wrong-Secret-42';
    const error = await connect(endpointOf(lab, 'web1'), options([{ kind: 'password', password: wrong }])).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SSH_AUTH_FAILED', details: { tried: ['password'] } });
    expect(JSON.stringify([(error as Error).message, (error as { details?: unknown }).details])).not.toContain(wrong);
  });

  it('one credential profile by tag serves several hosts; other hosts do not get it', async () => {
    const asked: string[] = [];
    const profileOptions: ConnectOptions = {
      credentials: [
        {
          name: 'web-servers',
          appliesTo: { tags: ['web'] },
          credentials: [{ kind: 'privateKey', keyPath: lab.user.encryptedKeyPath, passphrase: lab.user.passphrase }],
        },
      ],
      hostKeys: askingPolicy('reject').policy,
      log: (line) => {
        logLines.push(line);
        if (line.includes('logged in')) asked.push(line);
      },
    };
    for (const name of ['web1', 'web2']) {
      const connection = await connect(endpointOf(lab, name, { tags: ['web'] }), profileOptions);
      open.push(connection);
      expect(connection.authenticatedWith).toContain(lab.user.encryptedKeyPath);
    }
    expect(asked).toHaveLength(2);
    const app = await connect(endpointOf(lab, 'app1', { tags: ['app'] }), profileOptions).catch((e: unknown) => e);
    expect(app).toMatchObject({ code: 'SSH_AUTH_FAILED' });
  });

  it('no log line carries a password or passphrase', () => {
    expect(logLines.length).toBeGreaterThan(5);
    const all = logLines.join('\n');
    expect(all).not.toContain(lab.user.password);
    expect(all).not.toContain(lab.user.passphrase);
    expect(all).not.toContain('Wrong-Secret-42');
  });
});
