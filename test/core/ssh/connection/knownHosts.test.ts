import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseKnownHosts } from '../../../../electron/core/ssh/connection/knownHosts';

const KEYS = join(__dirname, '../../../hosts/keys');
const pub = (file: string): string => readFileSync(join(KEYS, file), 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
const fingerprint = (file: string): string =>
  execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(KEYS, file)], { encoding: 'utf8' }).split(' ')[1]!;

const dir = mkdtempSync(join(tmpdir(), 'fieldrun-known-hosts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PLAIN = [
  '# imported from a technician laptop',
  `web1.example.com,198.18.0.10 ${pub('web1_ed25519.pub')} web1`,
  `[db1.example.com]:2222 ${pub('db1_rsa.pub')}`,
  `*.shop.example.com,!legacy.shop.example.com ${pub('app1_ecdsa.pub')}`,
  `@revoked old.example.com ${pub('app2_ed25519.pub')}`,
  'broken.example.com ssh-ed25519 AAAA',
  '',
].join('\n');

/** What `ssh-keygen -F name -f file` finds: the real lookup OpenSSH does. */
function opensshFinds(file: string, name: string): boolean {
  try {
    return execFileSync('ssh-keygen', ['-F', name, '-f', file], { encoding: 'utf8' }).includes('found:');
  } catch {
    return false;
  }
}

const LOOKUPS: Array<[string, number]> = [
  ['web1.example.com', 22],
  ['198.18.0.10', 22],
  ['WEB1.example.com', 22],
  ['web1.example.com', 2222],
  ['db1.example.com', 2222],
  ['db1.example.com', 22],
  ['a.shop.example.com', 22],
  ['legacy.shop.example.com', 22],
  ['shop.example.com', 22],
];

describe('known_hosts import', () => {
  it('reads plain entries with types, fingerprints, markers and comments, skipping broken lines', () => {
    const entries = parseKnownHosts(PLAIN);
    expect(entries.map((e) => [e.line, e.type, e.marker ?? null])).toEqual([
      [2, 'ssh-ed25519', null],
      [3, 'ssh-rsa', null],
      [4, 'ecdsa-sha2-nistp256', null],
      [5, 'ssh-ed25519', '@revoked'],
    ]);
    expect(entries[0]!.fingerprint).toBe(fingerprint('web1_ed25519.pub'));
    expect(entries[0]!.comment).toBe('web1');
    expect(entries[1]!.fingerprint).toBe(fingerprint('db1_rsa.pub'));
  });

  it('matches host names and ports as OpenSSH does, plain and hashed (ssh-keygen -H)', () => {
    const plainFile = join(dir, 'plain');
    const hashedFile = join(dir, 'hashed');
    const positive = PLAIN.split('\n').filter((line) => !line.startsWith('@') && !line.includes('!') && !line.startsWith('broken')).join('\n');
    writeFileSync(plainFile, PLAIN);
    writeFileSync(hashedFile, positive);
    execFileSync('ssh-keygen', ['-H', '-f', hashedFile], { stdio: 'ignore' });
    const hashedText = readFileSync(hashedFile, 'utf8');
    expect(hashedText).toMatch(/^\|1\|/m);

    const plain = parseKnownHosts(PLAIN).filter((e) => e.marker === undefined);
    const hashed = parseKnownHosts(hashedText);
    expect(hashed.some((e) => e.hashed)).toBe(true);
    for (const [name, port] of LOOKUPS) {
      // ssh lowercases the host name before it looks it up; ssh-keygen -F does not, so ask it in lower case.
      const lookup = (port === 22 ? name : `[${name}]:${port}`).toLowerCase();
      expect(plain.some((e) => e.match(name, port)), `plain ${lookup}`).toBe(opensshFinds(plainFile, lookup));
      expect(hashed.some((e) => e.match(name, port)), `hashed ${lookup}`).toBe(opensshFinds(hashedFile, lookup));
    }
    const web1 = hashed.filter((e) => e.match('web1.example.com', 22));
    expect(web1.map((e) => e.fingerprint)).toEqual([fingerprint('web1_ed25519.pub')]);
  });
});
