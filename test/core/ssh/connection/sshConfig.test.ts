import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hostEndpointFromSshConfig, parseSshConfig } from '../../../../electron/core/ssh/connection/sshConfig';

const CONFIG = `
# a technician's ~/.ssh/config
Host web1 web1.shop
  HostName 198.18.0.10
  User deploy
  IdentityFile ~/.ssh/id_web1
Host db* !db-legacy
  Port 2222
  ProxyJump bastion,jump2
  IdentityFile "~/.ssh/id db"
Host bastion
  HostName=bastion.example.com
  User ops
  Port 2200
Host jump2
  HostName 10.0.0.2
  ProxyJump elsewhere
Match host db-legacy
  User legacy
  ProxyJump none
Match exec "false"
  User never
Host *
  User fallback
  IdentityFile ~/.ssh/id_ed25519
  Port 22
`;

const dir = mkdtempSync(join(tmpdir(), 'fieldrun-ssh-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const configFile = join(dir, 'config');
writeFileSync(configFile, CONFIG);

/** The settings `ssh -G` resolves for an alias: OpenSSH's own reading of the same file. */
function opensshResolves(alias: string): Record<string, string[]> {
  const out = execFileSync('ssh', ['-G', '-F', configFile, alias], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const settings: Record<string, string[]> = {};
  for (const line of out.split('\n')) {
    const [key, ...rest] = line.split(' ');
    if (key !== undefined && key !== '') (settings[key] ??= []).push(rest.join(' '));
  }
  return settings;
}

describe('~/.ssh/config import', () => {
  it('resolves HostName, User, Port, IdentityFile and ProxyJump as ssh -G does', () => {
    for (const alias of ['web1', 'web1.shop', 'db7', 'db-legacy', 'bastion', 'jump2', 'other']) {
      const ours = parseSshConfig(CONFIG, alias);
      const theirs = opensshResolves(alias);
      expect(ours.hostName ?? alias, `${alias} hostname`).toBe(theirs['hostname']?.[0]);
      expect(ours.user, `${alias} user`).toBe(theirs['user']?.[0]);
      expect(ours.port ?? 22, `${alias} port`).toBe(Number(theirs['port']?.[0]));
      expect(ours.identityFile ?? [], `${alias} identity files`).toEqual(theirs['identityfile'] ?? []);
      expect((ours.proxyJump ?? []).join(','), `${alias} proxyjump`).toBe(theirs['proxyjump']?.[0] ?? '');
    }
  });

  it('expands ~ and %h/%r/%u/%d tokens in IdentityFile when told the home folder', () => {
    const text = 'Host app\n  HostName app.example.com\n  User deploy\n  IdentityFile ~/.ssh/id_%h_%r_%u_%%\n';
    expect(parseSshConfig(text, 'app', { home: '/home/tech', localUser: 'tech' }).identityFile).toEqual(['/home/tech/.ssh/id_app.example.com_deploy_tech_%']);
  });

  it('builds a host endpoint with its ProxyJump chain (later hops reached through earlier ones)', () => {
    const { host, identityFiles } = hostEndpointFromSshConfig(CONFIG, 'db7', { user: 'tech', home: '/home/tech' });
    expect(host).toMatchObject({ name: 'db7', address: 'db7', port: 2222, user: 'fallback' });
    expect(host.jump).toMatchObject({ name: 'jump2', address: '10.0.0.2', port: 22 });
    expect(host.jump?.jump).toMatchObject({ name: 'bastion', address: 'bastion.example.com', port: 2200, user: 'ops' });
    expect(host.jump?.jump?.jump).toBeUndefined();
    expect(identityFiles).toContain('/home/tech/.ssh/id db');
  });

  it('refuses ProxyJump settings that loop', () => {
    const text = 'Host a\n  ProxyJump b\nHost b\n  ProxyJump a\n';
    expect(() => hostEndpointFromSshConfig(text, 'a', { user: 'tech' })).toThrow(expect.objectContaining({ code: 'SSH_JUMP_LOOP' }));
  });
});
