import { createHash } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck, type CheckRun } from '../../../electron/core/checks';
import { connect, type SshConnection } from '../../../electron/core/ssh/connection';
import { startTestLab, type TestLab } from '../../hosts';
import { endpointOf, keyOptions } from '../ssh/connection/labEndpoints';
import { onHost, pathWithout, withPath } from './labHosts';
import { checkOf } from './support';

// Every check type that can run on the lab hosts, on a host with the default login and on one
// whose login is German (LANG=de_DE.UTF-8, with German messages installed): the verdicts must be
// the same. Tools are taken away through PATH to reach each fallback and each "cannot check".

let lab: TestLab;
const connections = new Map<string, SshConnection>();
const HOSTS = ['web1', 'de1'] as const;
const VERSION_TEXT = '2.4.1\n';
const VERSION_SHA = createHash('sha256').update(VERSION_TEXT).digest('hex');

beforeAll(async () => {
  lab = await startTestLab({ hosts: ['web1', { name: 'de1', lang: 'de_DE.UTF-8' }] });
  for (const name of HOSTS) {
    const connection = await connect(endpointOf(lab, name), keyOptions(lab));
    connections.set(name, connection);
    // /opt is root's on the host: the test (root here) lays out an installed application there.
    const host = lab.host(name);
    const user = statSync(host.pathOnHost('/home/fieldrun'));
    mkdirSync(host.pathOnHost('/opt/shop/releases/2.4.1'), { recursive: true });
    writeFileSync(host.pathOnHost('/opt/shop/VERSION'), VERSION_TEXT);
    chmodSync(host.pathOnHost('/opt/shop/VERSION'), 0o640);
    chownSync(host.pathOnHost('/opt/shop/VERSION'), user.uid, user.gid);
    symlinkSync('/opt/shop/releases/2.4.1', host.pathOnHost('/opt/shop/current'));
    await onHost(
      connection,
      [
        'mkdir -p /tmp/www/sub',
        'printf ok > /tmp/www/health',
        // A web server on the host's own loopback, as an application's health endpoint would be.
        'cd /tmp/www && (setsid python3 -m http.server 8080 --bind 127.0.0.1 >/dev/null 2>&1 </dev/null &)',
        'for i in $(seq 50); do curl -s -o /dev/null http://127.0.0.1:8080/health && exit 0; sleep 0.1; done; exit 1',
      ].join(' && '),
    );
  }
});

afterAll(async () => {
  for (const connection of connections.values()) {
    await onHost(connection, "pkill -f '^python3 -m http.server 8080' || true").catch(() => undefined);
    connection.close();
  }
  await lab?.stop();
});

type Case = [title: string, check: Record<string, unknown> & { type: string }, status: 'pass' | 'fail' | 'error'];

const CASES: Case[] = [
  ['command output', { type: 'command', run: 'echo ready', expect: { stdout: { equals: 'ready' } } }, 'pass'],
  ['command messages in the C locale', { type: 'command', run: 'ls /nonexistent', expect: { exitCode: 2, stderr: { contains: 'No such file or directory' } } }, 'pass'],
  ['command number', { type: 'command', run: 'nproc', expect: { number: { op: '>=', value: 1 } } }, 'pass'],
  ['command exit status', { type: 'command', run: 'exit 3' }, 'fail'],
  ['command not found', { type: 'command', run: 'fieldrun-nonesuch-tool --version' }, 'error'],
  ['file properties', { type: 'file', path: '/opt/shop/VERSION', kind: 'file', mode: '0640', owner: 'fieldrun', group: 'fieldrun', sha256: VERSION_SHA, contains: '2.4' }, 'pass'],
  ['file mode differs', { type: 'file', path: '/opt/shop/VERSION', mode: '0644' }, 'fail'],
  ['file text absent', { type: 'file', path: '/opt/shop/VERSION', contains: '2.5' }, 'fail'],
  ['file multi-line text', { type: 'file', path: '/etc/passwd', contains: 'root:x:0:0:root:/root:/bin/bash\ndaemon:' }, 'pass'],
  ['symlink', { type: 'file', path: '/opt/shop/current', kind: 'symlink' }, 'pass'],
  ['symlink followed', { type: 'file', path: '/opt/shop/current', kind: 'directory' }, 'pass'],
  ['file missing', { type: 'file', path: '/opt/shop/missing' }, 'fail'],
  ['file must be absent', { type: 'file', path: '/opt/shop/missing', exists: false }, 'pass'],
  ['file unreadable', { type: 'file', path: '/etc/shadow', contains: 'root' }, 'error'],
  ['file behind a closed folder', { type: 'file', path: '/root/.profile' }, 'error'],
  ['port listening', { type: 'port', port: 22 }, 'pass'],
  ['port closed', { type: 'port', port: 5999 }, 'fail'],
  ['port must be closed', { type: 'port', port: 5999, listening: false }, 'pass'],
  ['udp port', { type: 'port', port: 5999, protocol: 'udp' }, 'fail'],
  ['service without systemd', { type: 'service', name: 'ssh' }, 'error'],
  ['package version', { type: 'package', name: 'openssh-server', version: '>= 1:9.0' }, 'pass'],
  ['package too new', { type: 'package', name: 'openssh-server', version: '< 1:9' }, 'fail'],
  ['package missing', { type: 'package', name: 'fieldrun-no-such-package' }, 'fail'],
  ['package must be absent', { type: 'package', name: 'fieldrun-no-such-package', installed: false, manager: 'dpkg' }, 'pass'],
  ['process by name', { type: 'process', name: 'sshd' }, 'pass'],
  ['process by pattern', { type: 'process', pattern: 'http\\.server 8080' }, 'pass'],
  ['process missing', { type: 'process', name: 'fieldrun-nonesuch' }, 'fail'],
  ['http status and body', { type: 'http', url: 'http://127.0.0.1:8080/health', bodyContains: 'ok' }, 'pass'],
  ['http expected 404', { type: 'http', url: 'http://127.0.0.1:8080/missing', expectStatus: 404 }, 'pass'],
  ['http 404', { type: 'http', url: 'http://127.0.0.1:8080/missing' }, 'fail'],
  ['http redirect', { type: 'http', url: 'http://127.0.0.1:8080/sub' }, 'fail'],
  ['http refused', { type: 'http', url: 'http://127.0.0.1:9/' }, 'fail'],
  ['disk free', { type: 'disk-free', path: '/opt', minFree: '1MiB', minPercent: 1 }, 'pass'],
  ['disk too small', { type: 'disk-free', path: '/opt', minFree: '1000TiB' }, 'fail'],
  ['disk for a folder to come', { type: 'disk-free', path: '/opt/shop/data/not-yet', minFree: '1MiB' }, 'pass'],
  ['memory', { type: 'memory', minAvailable: '16MiB' }, 'pass'],
  ['memory too small', { type: 'memory', minAvailable: '1000TiB' }, 'fail'],
  ['os', { type: 'os', distribution: 'debian', version: '>= 12' }, 'pass'],
  ['os other distribution', { type: 'os', distribution: 'ubuntu' }, 'fail'],
];

/** Verdict texts that hold nothing host- or moment-specific (pids, free bytes) compare across hosts. */
const STABLE_TEXT = (check: { type: string }): boolean => !['process', 'memory', 'disk-free'].includes(check.type);

/** curl says how long a refused connection took ("after 3 ms"). */
const timeless = (text: string): string => text.replace(/after \d+ ms/g, 'after … ms');

async function runAll(host: string): Promise<CheckRun[]> {
  const connection = connections.get(host)!;
  return Promise.all(CASES.map(([, raw]) => runCheck(connection, checkOf(raw as never), {}, { timeoutMs: 15_000 })));
}

describe('checks on lab hosts', () => {
  it('judge every type as expected, with the same verdicts on a German-locale host', async () => {
    const started = performance.now();
    const [plain, german] = await Promise.all(HOSTS.map(runAll));
    const elapsed = performance.now() - started;
    const durations = plain!.map((r) => r.durationMs).sort((a, b) => a - b);
    console.log(`${CASES.length} checks on each of 2 hosts in ${elapsed.toFixed(0)} ms; per check median ${durations[durations.length >> 1]} ms, max ${durations.at(-1)} ms`);
    CASES.forEach(([title, raw, status], i) => {
      const a = plain![i]!;
      const b = german![i]!;
      expect({ title, status: a.verdict.status, summary: a.verdict.summary }).toEqual({ title, status, summary: a.verdict.summary });
      expect({ title, status: b.verdict.status }).toEqual({ title, status });
      if (STABLE_TEXT(raw)) expect({ title, summary: timeless(b.verdict.summary) }).toEqual({ title, summary: timeless(a.verdict.summary) });
    });
  });

  it('say what they found in words a person reads', async () => {
    const connection = connections.get('de1')!;
    const verdict = async (raw: Record<string, unknown> & { type: string }) => (await runCheck(connection, checkOf(raw as never), {}, { timeoutMs: 15_000 })).verdict;
    expect((await verdict({ type: 'port', port: 22 })).summary).toBe('port 22/tcp listening (0.0.0.0)');
    expect((await verdict({ type: 'service', name: 'ssh' })).summary).toMatch(/^cannot check: systemd is not running on this host \(PID 1 is .+\)$/);
    expect((await verdict({ type: 'file', path: '/root/.profile' })).summary).toBe('cannot check: permission denied: /root/.profile');
    expect((await verdict({ type: 'http', url: 'http://127.0.0.1:8080/sub' })).summary).toBe(
      'GET http://127.0.0.1:8080/sub: expected status 200, found status 301 (Location: http://127.0.0.1:8080/sub/)',
    );
    expect((await verdict({ type: 'disk-free', path: '/opt', minFree: '1000TiB' })).summary).toMatch(/^expected ≥ 1000 TiB free on \/opt, found \d+(\.\d)? TiB$/);
    expect((await verdict({ type: 'os', distribution: 'ubuntu' })).summary).toBe('os: expected ubuntu, found debian 12');
    expect((await verdict({ type: 'command', run: 'exit 3' })).summary).toBe('command "exit 3": expected exit status 0, found exit status 3');
  });
});

describe('checks on hosts that lack tools', () => {
  const on = async (host: string, tools: string[], raws: Array<Record<string, unknown> & { type: string }>) => {
    const connection = connections.get(host)!;
    const path = await pathWithout(connection, tools);
    return Promise.all(raws.map(async (raw) => (await runCheck(withPath(connection, path), checkOf(raw as never), {}, { timeoutMs: 15_000 })).verdict));
  };

  it('read /proc/net without ss, and ls without stat, to the same verdicts', async () => {
    const [open, closed] = await on('de1', ['ss'], [{ type: 'port', port: 22 }, { type: 'port', port: 5999 }]);
    expect([open!.summary, closed!.status]).toEqual(['port 22/tcp listening (0.0.0.0)', 'fail']);
    const [file, mode] = await on('de1', ['stat'], [
      { type: 'file', path: '/opt/shop/VERSION', mode: '0640', owner: 'fieldrun', group: 'fieldrun', sha256: VERSION_SHA },
      { type: 'file', path: '/tmp', kind: 'directory', mode: '1777', owner: 'root' },
    ]);
    expect([file!.status, mode!.status]).toEqual(['pass', 'pass']);
  });

  it('use wget where curl is missing, and hash with shasum where sha256sum is', async () => {
    const [ok, missing, refused] = await on('web1', ['curl'], [
      { type: 'http', url: 'http://127.0.0.1:8080/health', bodyContains: 'ok' },
      { type: 'http', url: 'http://127.0.0.1:8080/missing', expectStatus: 404 },
      { type: 'http', url: 'http://127.0.0.1:9/' },
    ]);
    expect([ok!.status, missing!.status, refused!.status]).toEqual(['pass', 'pass', 'fail']);
    expect(refused!.found).toBe('no HTTP answer (wget exit status 4: network failure)');
    const [hashed] = await on('web1', ['sha256sum'], [{ type: 'file', path: '/opt/shop/VERSION', sha256: VERSION_SHA }]);
    expect(hashed!.status).toBe('pass');
  });

  it('are a clean error when the tool they need is missing', async () => {
    const [http] = await on('web1', ['curl', 'wget'], [{ type: 'http', url: 'http://127.0.0.1:8080/health' }]);
    expect(http!.summary).toBe('cannot check: curl or wget not found on this host');
    const [service, pkg, ps, df, hash] = await on('web1', ['systemctl', 'dpkg-query', 'ps', 'df', 'sha256sum', 'shasum', 'openssl'], [
      { type: 'service', name: 'ssh' },
      { type: 'package', name: 'openssh-server' },
      { type: 'process', pattern: 'sshd' },
      { type: 'disk-free', path: '/opt', minFree: '1MiB' },
      { type: 'file', path: '/opt/shop/VERSION', sha256: VERSION_SHA },
    ]);
    expect(service!.summary).toBe('cannot check: systemctl not found on this host');
    expect(pkg!.summary).toBe('cannot check: dpkg-query or rpm not found on this host');
    expect(ps!.summary).toBe('cannot check: ps not found on this host');
    expect(df!.summary).toBe('cannot check: df not found on this host');
    expect(hash!.summary).toBe('cannot check: sha256sum (or shasum, openssl) not found on this host');
    expect([service, pkg, ps, df, hash].every((v) => v!.status === 'error')).toBe(true);
  });
});
