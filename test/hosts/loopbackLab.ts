// The fallback when network namespaces are impossible (not root): each host is an sshd on a
// free 127.0.0.1 port, logging in as the current user with the lab's client keys. Hosts share
// the machine's file system; jump hosts are not enforced.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { provideHostKeys } from './hostKeys';
import { labDir, newLabId, sweepStaleLabs, teardownSync, withRegistryLock, writeRecord, type LabRecord } from './labRegistry';
import type { HostRuntime, LabRuntime } from './labRuntime';
import { authorizedKeys, provideUser } from './labUser';
import { currentOwner } from './processes';
import { sshdConfig } from './sshdConfig';
import { startSshd } from './sshdProcess';
import type { NormalizedSpec } from './topology';
import type { TestUser } from './types';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  await new Promise((r) => server.close(r));
  if (addr === null || typeof addr === 'string') throw new Error('no free TCP port on 127.0.0.1');
  return addr.port;
}

export async function startLoopbackLab(specs: NormalizedSpec[], opts: { persistent: boolean }): Promise<{ rt: LabRuntime; user: TestUser }> {
  const labId = newLabId();
  const record: LabRecord = {
    labId,
    owner: opts.persistent ? null : currentOwner(),
    mode: 'loopback',
    slot: null,
    netns: [],
    links: [],
    dir: labDir(labId),
    createdAt: new Date().toISOString(),
  };
  withRegistryLock(() => {
    sweepStaleLabs();
    writeRecord(record);
  });
  try {
    return await buildLab(specs, record);
  } catch (e) {
    teardownSync(record);
    throw e;
  }
}

async function buildLab(specs: NormalizedSpec[], record: LabRecord): Promise<{ rt: LabRuntime; user: TestUser }> {
  const rt: LabRuntime = { labId: record.labId, mode: 'loopback', record, hosts: new Map(), closers: new Set(), stopped: false };
  const root = process.getuid?.() === 0;
  // sshd checks that its privilege separation folder exists even when it never chroots there.
  if (root) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const userDir = join(record.dir, 'user');
  mkdirSync(userDir, { recursive: true, mode: 0o700 });
  const user = provideUser(userDir, userInfo().username);
  const authorizedKeysFile = join(record.dir, 'authorized_keys');
  writeFileSync(authorizedKeysFile, authorizedKeys(), { mode: 0o600 });

  const hosts = await Promise.all(
    specs.map(async (spec): Promise<HostRuntime> => {
      const hostDir = join(record.dir, 'hosts', spec.name);
      mkdirSync(hostDir, { recursive: true, mode: 0o700 });
      const { paths, keys } = await provideHostKeys(spec.name, spec.hostKeyTypes, hostDir);
      const port = await freePort();
      const configPath = join(hostDir, 'sshd_config');
      const extra: Record<string, string> = { ...(root ? { PermitRootLogin: 'prohibit-password' } : {}), ...spec.sshd };
      writeFileSync(
        configPath,
        sshdConfig({ hostKeyPaths: paths, port, listenAddress: '127.0.0.1', authorizedKeysFile, usePam: false, strictModes: false, extra }),
      );
      return {
        spec,
        address: '127.0.0.1',
        port,
        hostKeys: keys,
        directlyReachable: true,
        listenerPid: undefined,
        netFaults: { down: false, lossPercent: 0 },
        launch: { labId: record.labId, host: spec.name, configPath, logPath: join(hostDir, 'sshd.log'), startLogPath: join(hostDir, 'start.log') },
      };
    }),
  );
  for (const h of hosts) rt.hosts.set(h.spec.name, h);
  await Promise.all(
    hosts.map(async (h) => {
      h.listenerPid = await startSshd(h.launch);
    }),
  );
  return { rt, user };
}
