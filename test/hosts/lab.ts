// startTestLab: real OpenSSH sshd test hosts for tests and benchmarks.
//
// As root, each host is an sshd in its own network, mount and UTS namespace (namespacedLab.ts);
// without root it falls back to sshd processes on loopback ports (loopbackLab.ts), says so on
// stderr, and refuses to under CI=true. Every lab is recorded on disk (labRegistry.ts) so that
// a lab whose process died is torn down by the next lab that starts.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { createFaults } from './labFaults';
import { stopLab } from './labRegistry';
import { hostOf, type LabRuntime } from './labRuntime';
import { startLoopbackLab } from './loopbackLab';
import { localPathOnHost } from './hostFileSystem';
import { startNamespacedLab } from './namespacedLab';
import { normalizeSpecs } from './topology';
import { writeOpensshFiles } from './opensshConfig';
import type { StartTestLabOptions, TestHost, TestLab, TestUser } from './types';

/** Each tool the lab runs, with the Debian package that provides it. */
const NEEDED: Record<'namespaces' | 'loopback', Array<[string, string]>> = {
  namespaces: [
    ['/usr/sbin/sshd', 'openssh-server'],
    ['/usr/bin/ssh-keygen', 'openssh-client'],
    ['/usr/sbin/ip', 'iproute2'],
    ['/usr/bin/unshare', 'util-linux'],
    ['/usr/bin/mount', 'mount'],
  ],
  loopback: [
    ['/usr/sbin/sshd', 'openssh-server'],
    ['/usr/bin/ssh-keygen', 'openssh-client'],
  ],
};

export function requireTools(tools: Array<[string, string]>): void {
  const missing = tools.filter(([path]) => !existsSync(path));
  if (missing.length === 0) return;
  const pkgs = [...new Set(missing.map(([, pkg]) => pkg))].join(' ');
  throw new Error(
    `test lab needs ${missing.map(([p, pkg]) => `${p} (package ${pkg})`).join(', ')}. ` +
      `Install with: bash scripts/install-peers.sh (as root), or apt-get install -y ${pkgs}`,
  );
}

function chooseMode(): 'namespaces' | 'loopback' {
  const forced = process.env['FIELDRUN_LAB_MODE'];
  const root = process.getuid?.() === 0;
  if (forced !== 'loopback' && root) return 'namespaces';
  const why = forced === 'loopback' ? 'FIELDRUN_LAB_MODE=loopback' : 'not root, so no network namespaces';
  if (process.env['CI'] === 'true') {
    throw new Error(`test lab: ${why}; under CI=true the loopback fallback is not allowed: run the tests as root so the hosts get their own namespaces`);
  }
  process.stderr.write(
    `test lab: ${why}: FALLING BACK to sshd on 127.0.0.1 ports. Hosts share this machine's file system and user, ` +
      'jump hosts are not enforced, password login and network faults are unavailable.\n',
  );
  return 'loopback';
}

// Labs this process owns, torn down when it exits without calling stop() (a failed test file).
const liveLabs = new Set<LabRuntime>();
let exitHookInstalled = false;
function trackForExit(rt: LabRuntime): void {
  if (rt.record.owner === null) return;
  liveLabs.add(rt);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const lab of liveLabs) stopLab(lab.record);
  });
}

export async function startTestLab(options: StartTestLabOptions): Promise<TestLab> {
  const specs = normalizeSpecs(options.hosts);
  const mode = chooseMode();
  requireTools(NEEDED[mode]);
  const persistent = options.persistent ?? false;
  const { rt, user } =
    mode === 'namespaces'
      ? await startNamespacedLab(specs, { exampleAddresses: options.exampleAddresses ?? false, waitMs: options.waitMs ?? 110_000, persistent })
      : await startLoopbackLab(specs, { persistent });
  trackForExit(rt);
  return makeTestLab(rt, user);
}

function makeTestLab(rt: LabRuntime, user: TestUser): TestLab {
  const hosts: TestHost[] = [...rt.hosts.values()].map((h) => {
    const host: TestHost = {
      name: h.spec.name,
      address: h.address,
      port: h.port,
      hostname: rt.mode === 'namespaces' ? h.spec.name : hostname(),
      hostKeys: h.hostKeys,
      directlyReachable: h.directlyReachable,
      pathOnHost: (remotePath) => (h.fileSystem === undefined ? remotePath : localPathOnHost(h.fileSystem, remotePath)),
      sshdLog: () => {
        try {
          return readFileSync(h.launch.logPath, 'utf8');
        } catch {
          return '';
        }
      },
    };
    if (h.spec.behind !== undefined) host.behind = h.spec.behind;
    return host;
  });
  const byName = new Map(hosts.map((h) => [h.name, h]));
  // For `cli.ts status`.
  writeFileSync(
    join(rt.record.dir, 'hosts.txt'),
    hosts.map((h) => `${h.name} ${h.address}:${h.port}${h.behind === undefined ? '' : ` behind ${h.behind}`}`).join('\n') + '\n',
  );
  const { sshConfigPath, knownHostsPath } = writeOpensshFiles(rt.record.dir, hosts, user);
  return {
    mode: rt.mode,
    hosts,
    sshConfigPath,
    knownHostsPath,
    host: (name) => {
      hostOf(rt, name);
      return byName.get(name)!;
    },
    user,
    faults: createFaults(rt),
    stop: async () => {
      if (rt.stopped) return;
      rt.stopped = true;
      await Promise.all([...rt.closers].map((close) => close()));
      stopLab(rt.record);
      liveLabs.delete(rt);
    },
  };
}
