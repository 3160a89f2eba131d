// Fault helpers: what goes wrong at a client site, made to happen on purpose.
// Network faults act inside the host's namespace (nftables, tc) and model the network, so they
// outlive a reboot of the host; process faults act on the host's sshd and processes.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { wipeVolatileState } from './hostFileSystem';
import { inNetns, runTool } from './labNetwork';
import { hostOf, type HostRuntime, type LabRuntime } from './labRuntime';
import { startLatencyProxy } from './latencyProxy';
import { allPids, commandLine, executable, killAndWait, parentPid, pidsHoldingFilesUnder, pidsInNetns, signal } from './processes';
import { SSHD, startSshd } from './sshdProcess';
import type { TestFaults } from './types';

const NFT = '/usr/sbin/nft';
const TC = '/usr/sbin/tc';

function needNamespaces(rt: LabRuntime, what: string): void {
  if (rt.mode !== 'namespaces') throw new Error(`${what} needs the namespaces lab (run the tests as root); this lab runs on loopback ports`);
}

function needTool(path: string, pkg: string): void {
  if (!existsSync(path)) throw new Error(`fault helper needs ${path} (package ${pkg}): bash scripts/install-peers.sh, or apt-get install -y ${pkg}`);
}

/** Rewrites the host's fault table from its state, atomically (one nft transaction). */
async function applyNetFaults(h: HostRuntime): Promise<void> {
  needTool(NFT, 'nftables');
  const { down, lossPercent } = h.netFaults;
  const rules: string[] = [];
  if (down || lossPercent >= 100) rules.push('drop');
  // numgen is uniform over 0..99: "< p" drops p percent of packets, independently per direction.
  else if (lossPercent > 0) rules.push(`numgen random mod 100 < ${lossPercent} drop`);
  const chain = (hook: 'input' | 'output', lo: string): string =>
    `  chain ${hook} {\n    type filter hook ${hook} priority -10; policy accept;\n    ${lo} "lo" accept\n${rules.map((r) => `    ${r}\n`).join('')}  }\n`;
  // "add table" then "delete table" makes the delete safe when no table exists yet.
  const script = ['add table inet fieldrun_faults', 'delete table inet fieldrun_faults'];
  if (rules.length > 0) script.push(`table inet fieldrun_faults {\n${chain('input', 'iifname')}${chain('output', 'oifname')}}`);
  await inNetns(h.planned!.netns, NFT, ['-f', '-'], script.join('\n') + '\n');
}

/** tc commands for both directions of the host's first link: its eth0 and the veth end facing it. */
async function tcBoth(h: HostRuntime, args: (dev: string) => string[], ignoreErrors: boolean): Promise<void> {
  needTool(TC, 'iproute2');
  const eth0 = h.planned!.interfaces[0]!;
  const sides: Array<[string | undefined, string]> = [
    [h.planned!.netns, eth0.ifname],
    [eth0.peerNetns, eth0.peer],
  ];
  await Promise.all(
    sides.map(async ([ns, dev]) => {
      try {
        await runTool(TC, [...(ns === undefined ? [] : ['-n', ns]), ...args(dev)]);
      } catch (e) {
        if (!ignoreErrors) throw e;
      }
    }),
  );
}

/** The host's processes: in its network namespace, or (loopback) its sshds and their descendants. */
function hostPids(rt: LabRuntime, h: HostRuntime): number[] {
  if (rt.mode === 'namespaces') return pidsInNetns([h.planned!.netns]).get(h.planned!.netns) ?? [];
  const roots = new Set(pidsHoldingFilesUnder(dirname(h.launch.logPath)));
  const out: number[] = [];
  for (const pid of allPids()) {
    for (let p: number | undefined = pid, depth = 0; p !== undefined && p > 1 && depth < 64; p = parentPid(p), depth++) {
      if (roots.has(p)) {
        out.push(pid);
        break;
      }
    }
  }
  return out;
}

export function createFaults(rt: LabRuntime): TestFaults {
  const setNet = async (name: string, change: Partial<HostRuntime['netFaults']>): Promise<void> => {
    needNamespaces(rt, 'a network fault');
    const h = hostOf(rt, name);
    Object.assign(h.netFaults, change);
    await applyNetFaults(h);
  };
  const startListener = async (name: string): Promise<void> => {
    const h = hostOf(rt, name);
    if (h.listenerPid !== undefined && existsSync(`/proc/${h.listenerPid}`)) return;
    h.listenerPid = await startSshd(h.launch);
  };
  return {
    linkDown: (host) => setNet(host, { down: true }),
    linkUp: (host) => setNet(host, { down: false }),
    packetLoss: (host, percent) => {
      if (!Number.isInteger(percent) || percent < 0 || percent > 100) throw new Error(`packet loss must be an integer percent 0..100, got ${percent}`);
      return setNet(host, { lossPercent: percent });
    },
    clearPacketLoss: (host) => setNet(host, { lossPercent: 0 }),
    rateLimit: async (host, kbit) => {
      needNamespaces(rt, 'rateLimit');
      if (!(kbit > 0)) throw new Error(`rate limit must be a positive kbit/s, got ${kbit}`);
      const rateBytes = Math.ceil((kbit * 1000) / 8);
      // tbf needs a bucket of at least one packet; a tenth of a second keeps the rate smooth.
      const burst = Math.max(Math.ceil(rateBytes / 10), 4096);
      await tcBoth(hostOf(rt, host), (dev) => ['qdisc', 'replace', 'dev', dev, 'root', 'tbf', 'rate', `${kbit}kbit`, 'burst', String(burst), 'latency', '400ms'], false);
    },
    clearRateLimit: async (host) => {
      needNamespaces(rt, 'clearRateLimit');
      await tcBoth(hostOf(rt, host), (dev) => ['qdisc', 'del', 'dev', dev, 'root'], true);
    },
    latencyProxy: async (host, delayMs) => {
      const h = hostOf(rt, host);
      if (!h.directlyReachable) throw new Error(`'${host}' is reachable only through '${h.spec.behind ?? ''}': put the latency proxy in front of that jump host`);
      const proxy = await startLatencyProxy({ address: h.address, port: h.port }, delayMs);
      const close = async (): Promise<void> => {
        rt.closers.delete(close);
        await proxy.close();
      };
      rt.closers.add(close);
      return { address: proxy.address, port: proxy.port, close };
    },
    killListener: async (host) => {
      const h = hostOf(rt, host);
      const pid = h.listenerPid;
      if (pid === undefined) return;
      // Only the listener: the per-connection sshd processes it forked live on, as they do when
      // a real sshd is restarted.
      await killAndWait([pid]);
      h.listenerPid = undefined;
    },
    startListener,
    killSessions: async (host) => {
      const h = hostOf(rt, host);
      const sessions = hostPids(rt, h).filter((p) => p !== h.listenerPid && executable(p) === SSHD);
      await killAndWait(sessions);
    },
    reboot: async (host) => {
      const h = hostOf(rt, host);
      // Everything stops at once, as at a power cut: killed one by one (children first), a
      // wrapper would see its command die and record an exit code no real reboot leaves behind.
      const pids = hostPids(rt, h);
      signal(pids, 'SIGSTOP');
      await killAndWait(pids);
      h.listenerPid = undefined;
      if (h.fileSystem !== undefined) wipeVolatileState(h.fileSystem);
      await startListener(host);
    },
    countProcesses: async (host, pattern) => {
      const h = hostOf(rt, host);
      const re = new RegExp(pattern);
      return hostPids(rt, h).filter((p) => re.test(commandLine(p) ?? '')).length;
    },
  };
}
