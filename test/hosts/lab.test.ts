// The lab as a client sees it, through the stock OpenSSH client: distinct hosts, the jump-only
// topology, the fixed host keys, every login method the client layer supports.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_LAB, KEYS_DIR, startTestLab, type TestLab } from './index';
import { runSsh } from './runSsh';

let lab: TestLab;
let askpassDir: string;
let startMs = 0;

beforeAll(async () => {
  const t0 = Date.now();
  lab = await startTestLab({ hosts: [...EXAMPLE_LAB, { name: 'de1', lang: 'de_DE.UTF-8' }], exampleAddresses: true });
  startMs = Date.now() - t0;
  askpassDir = mkdtempSync(join(tmpdir(), 'lab-askpass-'));
  // OpenSSH reads passwords and passphrases only from a terminal or SSH_ASKPASS.
  writeFileSync(join(askpassDir, 'askpass'), '#!/bin/sh\nprintf "%s\\n" "$LAB_SECRET"\n');
  chmodSync(join(askpassDir, 'askpass'), 0o755);
});

afterAll(async () => {
  await lab?.stop();
  if (askpassDir) rmSync(askpassDir, { recursive: true, force: true });
});

const askpass = (secret: string): Record<string, string> => ({
  SSH_ASKPASS: join(askpassDir, 'askpass'),
  SSH_ASKPASS_REQUIRE: 'force',
  LAB_SECRET: secret,
});

describe('test lab hosts', () => {
  it('starts six hosts quickly on the example plan addresses', () => {
    expect(lab.mode).toBe('namespaces');
    expect(startMs).toBeLessThan(10_000); // a bound against hangs; the real figure (~0.2 s) is printed by the lab CLI
    expect(lab.hosts.map((h) => [h.name, h.address, h.directlyReachable])).toEqual([
      ['jump1', '198.18.0.10', true],
      ['web1', '198.18.1.11', false],
      ['web2', '198.18.1.12', false],
      ['app1', '198.18.1.21', false],
      ['db1', '198.18.1.31', false],
      ['de1', '198.18.0.100', true],
    ]);
    expect(lab.host('web1').behind).toBe('jump1');
    expect(lab.host('jump1').behind).toBeUndefined();
  });

  it('gives each host its own hostname and file system', async () => {
    const results = await Promise.all(lab.hosts.map((h) => runSsh(lab, h.name, 'hostname; id -un; grep FIELDRUN_TEST_HOST /etc/os-release')));
    results.forEach((r, i) => {
      const name = lab.hosts[i]!.name;
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(`${name}\nfieldrun\nFIELDRUN_TEST_HOST=${name}\n`);
    });

    const written = await runSsh(lab, 'web1', 'echo on-web1 > /tmp/marker && mkdir -p ~/.fieldrun && echo state > ~/.fieldrun/s');
    expect(written.code).toBe(0);
    expect(readFileSync(lab.host('web1').pathOnHost('/tmp/marker'), 'utf8')).toBe('on-web1\n');
    expect(readFileSync(lab.host('web1').pathOnHost('~/.fieldrun/s'), 'utf8')).toBe('state\n');
    expect(existsSync(lab.host('web2').pathOnHost('/tmp/marker'))).toBe(false);
    const elsewhere = await runSsh(lab, 'web2', 'test -e /tmp/marker || echo absent; test -e ~/.fieldrun || echo no-state');
    expect(elsewhere.stdout).toBe('absent\nno-state\n');
    // The machine's own /tmp is untouched.
    expect(existsSync('/tmp/marker')).toBe(false);

    writeFileSync(lab.host('db1').pathOnHost('/opt/version'), '1.2.3\n');
    expect((await runSsh(lab, 'db1', 'cat /opt/version')).stdout).toBe('1.2.3\n');
    expect((await runSsh(lab, 'app1', 'cat /opt/version 2>&1 || true')).stdout).toContain('No such file');
    expect(() => lab.host('db1').pathOnHost('/usr/bin/env')).toThrow(/shared by all hosts/);
  });

  it('reaches hosts behind the jump host only through it', async () => {
    const direct = await runSsh(lab, 'jump1', 'true', { args: ['-o', 'ProxyJump=none', '-o', 'HostName=198.18.1.11', '-o', 'ConnectTimeout=3'] });
    expect(direct.code).toBe(255);
    expect(direct.stderr).toMatch(/No route to host|Network is unreachable/);

    const via = await runSsh(lab, 'web1', 'hostname; ip -4 -o addr show eth0 | wc -l; ip route');
    expect(via.code).toBe(0);
    expect(via.stdout).toBe('web1\n1\n198.18.1.0/24 dev eth0 proto kernel scope link src 198.18.1.11 \n');
    expect(lab.host('web1').sshdLog()).toContain('Connection from 198.18.1.1 ');

    // Even with a route through the jump host, packets do not get past it: it does not forward.
    execFileSync('/usr/sbin/ip', ['route', 'add', '198.18.1.0/24', 'via', '198.18.0.10']);
    try {
      const routed = await runSsh(lab, 'jump1', 'true', { args: ['-o', 'ProxyJump=none', '-o', 'HostName=198.18.1.11', '-o', 'ConnectTimeout=2'] });
      expect(routed.code).toBe(255);
      expect(routed.stderr).toMatch(/timed out/);
    } finally {
      execFileSync('/usr/sbin/ip', ['route', 'del', '198.18.1.0/24', 'via', '198.18.0.10']);
    }
  });

  it('serves the fixed test-only host keys', async () => {
    const expected = new Map(
      readFileSync(join(KEYS_DIR, 'FINGERPRINTS.txt'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(' '))
        .map(([file, fp]) => [file!.replace(/\.pub$/, ''), fp!]),
    );
    for (const h of EXAMPLE_LAB) {
      const got = lab.host(h.name).hostKeys.map((k) => k.fingerprint);
      expect(got).toEqual(['ed25519', 'rsa', 'ecdsa'].map((t) => expected.get(`${h.name}_${t}`)));
    }
    const scan = execFileSync('/usr/bin/ssh-keyscan', ['-t', 'ed25519,rsa,ecdsa', '198.18.0.10'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const served = execFileSync('/usr/bin/ssh-keygen', ['-l', '-f', '-'], { input: scan, encoding: 'utf8' });
    for (const t of ['ed25519', 'rsa', 'ecdsa']) expect(served).toContain(expected.get(`jump1_${t}`));
    // Behind the jump host: the client's StrictHostKeyChecking against each single key type.
    for (const alg of ['ssh-ed25519', 'rsa-sha2-512', 'ecdsa-sha2-nistp256']) {
      const r = await runSsh(lab, 'db1', 'true', { args: ['-o', `HostKeyAlgorithms=${alg}`] });
      expect(r.code, r.stderr).toBe(0);
    }
  });

  it('accepts password, keyboard-interactive and passphrase-protected key logins', async () => {
    const noKey = ['-o', 'BatchMode=no', '-o', 'PubkeyAuthentication=no', '-o', 'NumberOfPasswordPrompts=1'];
    const pw = await runSsh(lab, 'jump1', 'echo ok', { args: [...noKey, '-o', 'PreferredAuthentications=password'], env: askpass(lab.user.password) });
    expect(pw.stdout).toBe('ok\n');
    const kbd = await runSsh(lab, 'web2', 'echo ok', { args: [...noKey, '-o', 'PreferredAuthentications=keyboard-interactive'], env: askpass(lab.user.password) });
    expect(kbd.stdout).toBe('ok\n');
    expect(lab.host('web2').sshdLog()).toMatch(/Accepted keyboard-interactive\/pam for fieldrun/);
    const wrong = await runSsh(lab, 'jump1', 'echo ok', { args: [...noKey, '-o', 'PreferredAuthentications=password'], env: askpass('wrong') });
    expect(wrong.code).toBe(255);
    const pass = await runSsh(lab, 'app1', 'echo ok', {
      args: ['-o', 'BatchMode=no', '-o', `IdentityFile=${lab.user.encryptedKeyPath}`],
      env: askpass(lab.user.passphrase),
    });
    expect(pass.stdout).toBe('ok\n');
  });

  it('grants sudo with the password only', async () => {
    const ok = await runSsh(lab, 'web1', "sudo -S -p '' id -u", { input: `${lab.user.sudoPassword}\n` });
    expect(ok.stdout).toBe('0\n');
    const refused = await runSsh(lab, 'web2', "sudo -S -p '' id -u", { input: 'wrong\n' });
    expect(refused.code).not.toBe(0);
    expect(refused.stdout).toBe('');
  });

  it('logs users in with the host locale and keeps Debian session limits', async () => {
    const de = await runSsh(lab, 'de1', 'echo $LANG; locale 2>&1 >/dev/null | wc -l');
    expect(de.stdout).toBe('de_DE.UTF-8\n0\n');
    // The effective settings as sshd itself reads them.
    const cfg = readFileSync(lab.sshConfigPath, 'utf8');
    expect(cfg).toContain('Host de1');
    const sshdConfig = execFileSync('/usr/sbin/sshd', ['-T', '-f', join(lab.host('de1').pathOnHost('/etc/hosts'), '../../ssh/sshd_config')], {
      encoding: 'utf8',
      env: { PATH: '/usr/sbin:/usr/bin' },
    });
    expect(sshdConfig).toMatch(/^maxsessions 10$/m);
    expect(sshdConfig).toMatch(/^acceptenv LANG$/m);
    expect(sshdConfig).toMatch(/^acceptenv LC_\*$/m);
    expect(sshdConfig).toMatch(/^loglevel VERBOSE$/m);
  });
});
