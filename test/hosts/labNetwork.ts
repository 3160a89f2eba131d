// Builds a lab's network from its plan with a handful of `ip -batch` runs (one for the root
// namespace, one per other namespace), which keeps start-up in the tens of milliseconds.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { IP, RANGE_FENCE } from './labRegistry';
import type { LabPlan } from './topology';

const run = promisify(execFile);

export async function ipBatch(commands: string[], netns?: string): Promise<void> {
  if (commands.length === 0) return;
  const args = netns === undefined ? ['-batch', '-'] : ['-n', netns, '-batch', '-'];
  await new Promise<void>((resolve, reject) => {
    const child = execFile(IP, args, (err, _stdout, stderr) => {
      if (err) reject(new Error(`ip ${args.join(' ')} failed: ${stderr.trim() || err.message}\n${commands.join('\n')}`));
      else resolve();
    });
    child.stdin!.end(commands.join('\n') + '\n');
  });
}

/** Namespaces the plan creates (hosts, and the switch when some host is behind a jump host). */
export function planNetns(plan: LabPlan): string[] {
  const hasInner = plan.bridges.some((b) => b.netns !== undefined);
  return [...plan.hosts.map((h) => h.netns), ...(hasInner ? [plan.switchNetns] : [])];
}

/** Links the plan leaves in the root namespace (the rest vanish with their namespaces). */
export function planRootLinks(plan: LabPlan): string[] {
  const veths = plan.hosts.flatMap((h) => h.interfaces.filter((i) => i.peerNetns === undefined).map((i) => i.peer));
  const bridges = plan.bridges.filter((b) => b.netns === undefined).map((b) => b.name);
  return [...veths, ...bridges];
}

export async function createNetwork(plan: LabPlan): Promise<void> {
  const root: string[] = [`route replace ${RANGE_FENCE}`, ...planNetns(plan).map((n) => `netns add ${n}`)];
  const inSwitch: string[] = ['link set lo up'];
  for (const b of plan.bridges) {
    // A fixed MAC: a Linux bridge otherwise takes its lowest port's MAC and changes it when that
    // port goes, stranding ARP entries so that other hosts' clients hang (PEERS.md).
    const cmds = [`link add ${b.name} address ${b.mac} type bridge`, `link set ${b.name} addrgenmode none`, `link set ${b.name} up`];
    if (b.rootAddress !== undefined) cmds.push(`addr add ${b.rootAddress}/24 dev ${b.name}`);
    (b.netns === undefined ? root : inSwitch).push(...cmds);
  }
  const perHost = new Map<string, string[]>();
  for (const h of plan.hosts) {
    const cmds = ['link set lo up'];
    for (const i of h.interfaces) {
      const peerAt = i.peerNetns === undefined ? '' : ` netns ${i.peerNetns}`;
      root.push(`link add ${i.peer}${peerAt} type veth peer name ${i.ifname} netns ${h.netns}`);
      const peerCmds = [`link set ${i.peer} addrgenmode none`, `link set ${i.peer} master ${i.bridge}`, `link set ${i.peer} up`];
      (i.peerNetns === undefined ? root : inSwitch).push(...peerCmds);
      cmds.push(`link set ${i.ifname} addrgenmode none`, `addr add ${i.address}/${i.prefixLength} dev ${i.ifname}`, `link set ${i.ifname} up`);
    }
    perHost.set(h.netns, cmds);
  }
  await ipBatch(root);
  await Promise.all([
    ...(inSwitch.length > 1 ? [ipBatch(inSwitch, plan.switchNetns)] : []),
    ...[...perHost].map(([ns, cmds]) => ipBatch(cmds, ns)),
  ]);
}

/** Runs a command inside a namespace (for tools without a namespace option, like nft). */
export async function inNetns(netns: string, cmd: string, args: string[], input?: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const child = execFile(IP, ['netns', 'exec', netns, cmd, ...args], (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} in ${netns} failed: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
    child.stdin!.end(input ?? '');
  });
}

export async function runTool(cmd: string, args: string[]): Promise<string> {
  const { stdout } = await run(cmd, args);
  return stdout;
}
