import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialsFor, prepareCredentials } from '../../../../electron/core/ssh/connection/credentials';
import type { CredentialProfile, HostEndpoint } from '../../../../electron/core/ssh/connection/types';

const KEYS = join(__dirname, '../../../hosts/keys');
const PASSPHRASE = 'correct horse battery staple';

const host = (name: string, tags: string[], credential?: string): HostEndpoint => ({
  name,
  address: '198.18.0.1',
  port: 22,
  user: 'fieldrun',
  pinnedKeys: [],
  tags,
  ...(credential === undefined ? {} : { credential }),
});

const profiles: CredentialProfile[] = [
  { name: 'everyone', appliesTo: { all: true }, credentials: [{ kind: 'password', password: 'p-all' }] },
  { name: 'web', appliesTo: { tags: ['web'] }, credentials: [{ kind: 'password', password: 'p-web' }] },
  { name: 'db1-only', appliesTo: { hosts: ['db1'] }, credentials: [{ kind: 'password', password: 'p-db1' }] },
];
const passwords = (h: HostEndpoint): string[] => credentialsFor(h, profiles).map((c) => (c.kind === 'password' ? c.password : c.kind));

describe('credential profiles', () => {
  it('serve many hosts by tag or for all, the most specific first', () => {
    expect(passwords(host('web1', ['web']))).toEqual(['p-web', 'p-all']);
    expect(passwords(host('web2', ['web', 'eu']))).toEqual(['p-web', 'p-all']);
    expect(passwords(host('db1', ['db']))).toEqual(['p-db1', 'p-all']);
    expect(passwords(host('app1', []))).toEqual(['p-all']);
  });

  it('a host naming a profile uses that profile alone; an unknown name is an error', () => {
    expect(passwords(host('web1', ['web'], 'db1-only'))).toEqual(['p-db1']);
    expect(() => credentialsFor(host('web1', [], 'nope'), profiles)).toThrow(expect.objectContaining({ code: 'SSH_AUTH_FAILED' }));
  });
});

describe('private keys', () => {
  it('load plain and passphrase-protected OpenSSH keys, by path or as text', async () => {
    const { usable, unusable } = await prepareCredentials([
      { kind: 'privateKey', keyPath: join(KEYS, 'client_ed25519') },
      { kind: 'privateKey', keyPath: join(KEYS, 'client_ed25519_pass'), passphrase: PASSPHRASE },
      { kind: 'privateKey', key: readFileSync(join(KEYS, 'client_ed25519')) },
    ]);
    expect(unusable).toEqual([]);
    expect(usable.map((c) => c.kind)).toEqual(['privateKey', 'privateKey', 'privateKey']);
    expect(usable[0]!.label).toContain('SHA256:SjSYRrpnGcFOAxgggPLOPjoCyDtklYxn4BNGqCTPUGg');
  });

  it('say which key needs a passphrase, which passphrase is wrong and which file is no key, without echoing secrets', async () => {
    const { usable, unusable } = await prepareCredentials([
      { kind: 'privateKey', keyPath: join(KEYS, 'client_ed25519_pass') },
      { kind: 'privateKey', keyPath: join(KEYS, 'client_ed25519_pass'), passphrase: 'hunter2-wrong' },
      { kind: 'privateKey', keyPath: join(KEYS, 'client_ed25519.pub') },
      { kind: 'privateKey', keyPath: join(KEYS, 'does-not-exist') },
      { kind: 'privateKey', key: 'not a key at all' },
    ]);
    expect(usable).toEqual([]);
    expect(unusable.map((u) => [u.error.code, u.error.details?.['reason']])).toEqual([
      ['SSH_PASSPHRASE_REQUIRED', 'passphrase-missing'],
      ['SSH_PASSPHRASE_REQUIRED', 'wrong-passphrase'],
      ['SSH_KEY_INVALID', 'public-key'],
      ['SSH_KEY_INVALID', 'unreadable'],
      ['SSH_KEY_INVALID', 'unsupported-format'],
    ]);
    const everything = JSON.stringify(unusable.map((u) => [u.label, u.error.message, u.error.details]));
    expect(everything).not.toContain('hunter2-wrong');
    expect(everything).not.toContain('not a key at all');
  });
});
