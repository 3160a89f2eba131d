// An ssh_config and known_hosts for the OpenSSH client, so tests and benchmarks can reach every
// host by name (`ssh -F <lab.sshConfigPath> web1 cmd`), jump chains included: ProxyJump passes
// -F on to each hop, unlike command-line -o options.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestHost, TestUser } from './types';

export function writeOpensshFiles(dir: string, hosts: TestHost[], user: TestUser): { sshConfigPath: string; knownHostsPath: string } {
  const knownHostsPath = join(dir, 'known_hosts');
  const sshConfigPath = join(dir, 'ssh_config');
  writeFileSync(knownHostsPath, hosts.flatMap((h) => h.hostKeys.map((k) => `${h.name} ${k.publicKey}`)).join('\n') + '\n');
  const blocks = hosts.map((h) =>
    [
      `Host ${h.name}`,
      `  HostName ${h.address}`,
      `  Port ${h.port}`,
      ...(h.behind === undefined ? [] : [`  ProxyJump ${h.behind}`]),
      `  HostKeyAlias ${h.name}`,
    ].join('\n'),
  );
  const common = [
    'Host *',
    `  User ${user.name}`,
    `  IdentityFile ${user.privateKeyPath}`,
    '  IdentitiesOnly yes',
    `  UserKnownHostsFile ${knownHostsPath}`,
    '  GlobalKnownHostsFile /dev/null',
    '  StrictHostKeyChecking yes',
    '  BatchMode yes',
    '  ConnectTimeout 10',
    '  LogLevel ERROR',
  ].join('\n');
  // ssh uses the first value it finds, so host blocks come before the defaults.
  writeFileSync(sshConfigPath, [...blocks, common].join('\n\n') + '\n', { mode: 0o644 });
  return { sshConfigPath, knownHostsPath };
}
