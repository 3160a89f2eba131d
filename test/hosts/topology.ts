// Pure planning of a lab's network: which namespace, bridge, interface and address each host
// gets. No side effects, so the addressing rules are testable without root.
import { createHash } from 'node:crypto';
import { FIXED_HOST_BYTES } from './exampleLab';
import type { HostKeyType, TestHostSpec } from './types';

export const ALL_HOST_KEY_TYPES: HostKeyType[] = ['ed25519', 'rsa', 'ecdsa'];

export interface NormalizedSpec {
  name: string;
  behind?: string;
  lang?: string;
  sshd: Record<string, string>;
  hostKeyTypes: HostKeyType[];
}

export interface PlannedInterface {
  /** name inside the host's namespace */
  ifname: 'eth0' | 'eth1';
  /** the other end of the veth pair, enslaved to `bridge` */
  peer: string;
  /** where `peer` and `bridge` live: undefined = the root namespace, else the lab's switch */
  peerNetns?: string;
  bridge: string;
  address: string;
  prefixLength: 24;
}

export interface PlannedBridge {
  name: string;
  mac: string;
  /** the root namespace's address on it: only the direct network has one */
  rootAddress?: string;
  /** undefined = the root namespace; inner networks live in the lab's switch namespace */
  netns?: string;
  subnet: string;
}

export interface PlannedHost {
  spec: NormalizedSpec;
  index: number;
  netns: string;
  /** the address clients dial: on the direct network, or on the jump host's inner network */
  address: string;
  /** eth0 always; eth1 when other hosts sit behind this one */
  interfaces: PlannedInterface[];
}

export interface LabPlan {
  labId: string;
  slot: number;
  /**
   * Holds the bridges of the networks behind jump hosts, so that the root namespace has neither
   * an address nor even a link on them (nor its bridge netfilter hooks in their path).
   */
  switchNetns: string;
  bridges: PlannedBridge[];
  hosts: PlannedHost[];
}

const NAME_PATTERN = /^[a-z][a-z0-9-]{0,30}$/;
const MAX_HOSTS = 99;
const FIRST_FREE_BYTE = 100;

export function normalizeSpecs(hosts: Array<string | TestHostSpec>): NormalizedSpec[] {
  const specs = hosts.map((h): NormalizedSpec => {
    const s: TestHostSpec = typeof h === 'string' ? { name: h } : h;
    const out: NormalizedSpec = { name: s.name, sshd: { ...(s.sshd ?? {}) }, hostKeyTypes: [...(s.hostKeyTypes ?? ALL_HOST_KEY_TYPES)] };
    if (s.behind !== undefined) out.behind = s.behind;
    if (s.lang !== undefined) out.lang = s.lang;
    return out;
  });
  if (specs.length === 0) throw new Error('startTestLab: give at least one host');
  if (specs.length > MAX_HOSTS) throw new Error(`startTestLab: at most ${MAX_HOSTS} hosts per lab`);
  const names = new Set<string>();
  for (const s of specs) {
    if (!NAME_PATTERN.test(s.name)) throw new Error(`startTestLab: host name '${s.name}' must match ${String(NAME_PATTERN)}`);
    if (names.has(s.name)) throw new Error(`startTestLab: host '${s.name}' is listed twice`);
    names.add(s.name);
    if (s.hostKeyTypes.length === 0) throw new Error(`startTestLab: host '${s.name}' needs at least one host key type`);
    if (s.lang !== undefined && !/^[A-Za-z0-9_.@-]+$/.test(s.lang)) throw new Error(`startTestLab: lang '${s.lang}' of '${s.name}' is not a locale name`);
  }
  for (const s of specs) {
    if (s.behind !== undefined && !names.has(s.behind)) {
      throw new Error(`startTestLab: '${s.name}' is behind '${s.behind}', which is not in the lab`);
    }
  }
  return orderJumpHostsFirst(specs);
}

/** Every jump host is planned before the hosts behind it; a cycle is an error. */
function orderJumpHostsFirst(specs: NormalizedSpec[]): NormalizedSpec[] {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const ordered: NormalizedSpec[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (s: NormalizedSpec, path: string[]): void => {
    const st = state.get(s.name);
    if (st === 'done') return;
    if (st === 'visiting') throw new Error(`startTestLab: jump hosts form a cycle: ${[...path, s.name].join(' -> ')}`);
    state.set(s.name, 'visiting');
    if (s.behind !== undefined) visit(byName.get(s.behind)!, [...path, s.name]);
    state.set(s.name, 'done');
    ordered.push(s);
  };
  for (const s of specs) visit(s, []);
  return ordered;
}

/** The direct network of a slot: slot 0 holds the example plan's addresses. */
export function directSubnet(slot: number): string {
  if (slot === 0) return '198.18.0';
  if (slot < 1 || slot > 254) throw new Error(`lab slot ${slot} out of range`);
  return `198.19.${slot}`;
}

export function directBridgeName(slot: number): string {
  return `frbr${slot}`;
}

function macFor(seed: string): string {
  const h = createHash('sha256').update(seed).digest();
  // 02: locally administered unicast.
  return ['02', ...[...h.subarray(0, 5)].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

class SubnetAddresses {
  private readonly used = new Set<number>([0, 1, 255]);
  constructor(readonly prefix: string) {}
  take(name: string): string {
    const fixed = FIXED_HOST_BYTES[name];
    if (fixed !== undefined && !this.used.has(fixed)) return this.claim(fixed);
    for (let b = FIRST_FREE_BYTE; b < 255; b++) if (!this.used.has(b)) return this.claim(b);
    throw new Error(`no free address left in ${this.prefix}.0/24`);
  }
  private claim(b: number): string {
    this.used.add(b);
    return `${this.prefix}.${b}`;
  }
}

export function switchNetnsName(labId: string): string {
  // Host names cannot start with '-', so this never equals a host's namespace.
  return `fr-${labId}--switch`;
}

export function planLab(labId: string, slot: number, specs: NormalizedSpec[]): LabPlan {
  const switchNetns = switchNetnsName(labId);
  const direct: PlannedBridge = {
    name: directBridgeName(slot),
    mac: macFor(`fieldrun-lab-slot-${slot}`),
    rootAddress: `${directSubnet(slot)}.1`,
    subnet: `${directSubnet(slot)}.0/24`,
  };
  const bridges: PlannedBridge[] = [direct];
  const pools = new Map<string, SubnetAddresses>([[direct.name, new SubnetAddresses(directSubnet(slot))]]);
  // The inner network each jump host serves, created when the first host behind it is planned.
  const innerOf = new Map<string, PlannedBridge>();
  const hosts: PlannedHost[] = [];
  const byName = new Map<string, PlannedHost>();
  let nextInner = 1;

  specs.forEach((spec, index) => {
    let bridge = direct;
    if (spec.behind !== undefined) {
      const jump = byName.get(spec.behind)!;
      let inner = innerOf.get(spec.behind);
      if (inner === undefined) {
        const n = nextInner++;
        if (n > 254) throw new Error('startTestLab: too many jump hosts');
        // Inner networks never appear in the root namespace, so every lab may reuse 198.18.<n>.
        inner = { name: `frn${n}`, mac: macFor(`${labId}-inner-${n}`), netns: switchNetns, subnet: `198.18.${n}.0/24` };
        bridges.push(inner);
        innerOf.set(spec.behind, inner);
        const pool = new SubnetAddresses(`198.18.${n}`);
        pools.set(inner.name, pool);
        jump.interfaces.push({ ifname: 'eth1', peer: `frj${jump.index}`, peerNetns: switchNetns, bridge: inner.name, address: `198.18.${n}.1`, prefixLength: 24 });
      }
      bridge = inner;
    }
    const address = pools.get(bridge.name)!.take(spec.name);
    const eth0: PlannedInterface = { ifname: 'eth0', peer: `fr${labId}h${index}`, bridge: bridge.name, address, prefixLength: 24 };
    if (bridge.netns !== undefined) {
      eth0.peer = `frh${index}`;
      eth0.peerNetns = bridge.netns;
    }
    const host: PlannedHost = { spec, index, netns: `fr-${labId}-${spec.name}`, address, interfaces: [eth0] };
    hosts.push(host);
    byName.set(spec.name, host);
  });
  return { labId, slot, switchNetns, bridges, hosts };
}
