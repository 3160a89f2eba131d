// Where labs are recorded on disk, so that any process can tear down a lab whose owner died
// (a killed vitest fork, a crashed benchmark) and so that concurrent labs never collide.
//
// Addressing choice: the root namespace can route a subnet to only one place, so two labs cannot
// both own 198.18.0.0/24. Each lab therefore takes a numbered *slot* for its directly reachable
// network: slot 0 is 198.18.0.0/24 (the example plan's jump1 = 198.18.0.10), taken only by labs
// that ask for the example addresses, one at a time (others wait); slots 1..254 are
// 198.19.<k>.0/24, handed out freely, so ordinary test files run in parallel. Networks behind a
// jump host have no presence in the root namespace, so every lab reuses 198.18.<n>.0/24 for
// them: web1 is 198.18.1.11 behind jump1 in every lab.
//
// Allocation runs under a registry lock (a directory created atomically, holding its owner's
// pid). The lab record is written before any kernel object exists, so teardown from the record
// always covers everything the lab may have created.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { currentOwner, killAndWaitSync, ownerAlive, pidsHoldingFilesUnder, pidsInNetns, type ProcessOwner } from './processes';
import { directBridgeName } from './topology';

export interface LabRecord {
  labId: string;
  /** null: persistent (the CLI's `up`), never swept */
  owner: ProcessOwner | null;
  mode: 'namespaces' | 'loopback';
  slot: number | null;
  netns: string[];
  /** root-namespace links: veth ends first, then bridges */
  links: string[];
  dir: string;
  createdAt: string;
}

export const IP = '/usr/sbin/ip';

export function labBaseDir(): string {
  // Not under /tmp: each host mounts its own /tmp, and its sshd must still read its config and
  // host keys from here when it re-executes itself for a connection.
  return process.env['FIELDRUN_LAB_DIR'] ?? '/var/tmp/fieldrun-lab';
}

const labsDir = (): string => join(labBaseDir(), 'labs');
const slotsDir = (): string => join(labBaseDir(), 'slots');
const lockDir = (): string => join(labBaseDir(), 'lock');
export const labDir = (labId: string): string => join(labsDir(), labId);
const recordPath = (labId: string): string => join(labDir(labId), 'lab.json');

export function newLabId(): string {
  const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let id = '';
  for (let i = 0; i < 6; i++) id += chars[Math.floor(Math.random() * chars.length)];
  return id;
}

export function writeRecord(rec: LabRecord): void {
  mkdirSync(rec.dir, { recursive: true, mode: 0o755 });
  writeFileSync(recordPath(rec.labId), JSON.stringify(rec, null, 2));
}

export function readRecord(labId: string): LabRecord | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(recordPath(labId), 'utf8'));
    return isLabRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isLabRecord(v: unknown): v is LabRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r['labId'] === 'string' && Array.isArray(r['netns']) && Array.isArray(r['links']) && typeof r['dir'] === 'string';
}

export function listRecords(): LabRecord[] {
  if (!existsSync(labsDir())) return [];
  return readdirSync(labsDir())
    .map((id) => readRecord(id))
    .filter((r): r is LabRecord => r !== undefined);
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Runs fn while holding the registry lock; fn must be short and synchronous. */
export function withRegistryLock<T>(fn: () => T): T {
  mkdirSync(labBaseDir(), { recursive: true, mode: 0o755 });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      mkdirSync(lockDir());
      writeFileSync(join(lockDir(), 'owner.json'), JSON.stringify(currentOwner()));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (lockIsStale()) {
        rmSync(lockDir(), { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`test lab registry lock ${lockDir()} held for 30 s; remove it if no lab is starting`);
      sleepSync(10);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lockDir(), { recursive: true, force: true });
  }
}

function lockIsStale(): boolean {
  try {
    const owner = JSON.parse(readFileSync(join(lockDir(), 'owner.json'), 'utf8')) as ProcessOwner;
    return !ownerAlive(owner);
  } catch {
    // Created but owner not written yet, or written by a process that died right then.
    try {
      return Date.now() - statSync(lockDir()).mtimeMs > 5000;
    } catch {
      return false;
    }
  }
}

export function slotHolder(slot: number): string | undefined {
  try {
    return readFileSync(join(slotsDir(), String(slot)), 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Claims `slot` (0: the example addresses) or any free private slot. Call under the lock. */
export function claimSlot(labId: string, want: 'example' | 'private'): number | undefined {
  mkdirSync(slotsDir(), { recursive: true });
  const candidates = want === 'example' ? [0] : Array.from({ length: 254 }, (_, i) => i + 1);
  for (const slot of candidates) {
    const holder = slotHolder(slot);
    if (holder !== undefined && readRecord(holder) !== undefined) continue;
    writeFileSync(join(slotsDir(), String(slot)), labId);
    return slot;
  }
  return undefined;
}

function releaseSlot(slot: number | null, labId: string): void {
  if (slot === null) return;
  if (slotHolder(slot) === labId) rmSync(join(slotsDir(), String(slot)), { force: true });
}

/** Removes everything a lab may have created. Synchronous, so it also runs in an exit handler. */
export function teardownSync(rec: LabRecord): void {
  const pids = new Set<number>(pidsHoldingFilesUnder(rec.dir));
  for (const list of pidsInNetns(rec.netns).values()) for (const p of list) pids.add(p);
  killAndWaitSync([...pids]);
  const batch = [...rec.links.map((l) => `link del ${l}`), ...rec.netns.map((n) => `netns del ${n}`)];
  if (batch.length > 0 && existsSync(IP)) {
    try {
      execFileSync(IP, ['-force', '-batch', '-'], { input: batch.join('\n') + '\n', stdio: ['pipe', 'ignore', 'ignore'] });
    } catch {
      // -force reports the objects that were already gone; the rest was removed.
    }
  }
  releaseSlot(rec.slot, rec.labId);
  rmSync(rec.dir, { recursive: true, force: true });
}

/**
 * The whole test range is unreachable from the root namespace except the lab networks' own
 * routes (more specific, so they win). Without it, a connection to a host behind a jump host
 * would leave through the machine's default route instead of failing here.
 */
export const RANGE_FENCE = 'unreachable 198.18.0.0/15';

/** Stops a lab: teardown, and the range fence goes with the last lab. */
export function stopLab(rec: LabRecord): void {
  withRegistryLock(() => {
    teardownSync(rec);
    if (listRecords().every((r) => r.mode !== 'namespaces') && existsSync(IP)) {
      try {
        execFileSync(IP, ['route', 'del', ...RANGE_FENCE.split(' ')], { stdio: 'ignore' });
      } catch {
        // not there
      }
    }
  });
}

/** Tears down labs whose owner died, and kernel objects of labs that left no record. */
export function sweepStaleLabs(): void {
  for (const rec of listRecords()) {
    if (rec.owner !== null && !ownerAlive(rec.owner)) teardownSync(rec);
  }
  sweepOrphanKernelObjects();
}

function sweepOrphanKernelObjects(): void {
  if (!existsSync(IP)) return;
  let netnsList = '';
  let links = '';
  try {
    netnsList = execFileSync(IP, ['netns', 'list'], { encoding: 'utf8' });
    links = execFileSync(IP, ['-o', 'link', 'show'], { encoding: 'utf8' });
  } catch {
    return;
  }
  const orphanNetns = netnsList
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => /^fr-[a-z0-9]{6}-/.test(n) && !existsSync(labDir(n.slice(3, 9))));
  const orphanLinks: string[] = [];
  for (const m of links.matchAll(/^\d+: ([^:@\s]+)[@:]/gm)) {
    const name = m[1]!;
    const own = /^fr([a-z0-9]{6})[hjn]\d+$/.exec(name);
    if (own !== null && !existsSync(labDir(own[1]!))) orphanLinks.push(name);
    const slot = /^frbr(\d+)$/.exec(name);
    if (slot !== null) {
      const holder = slotHolder(Number(slot[1]));
      if (holder === undefined || readRecord(holder) === undefined || directBridgeName(Number(slot[1])) !== name) orphanLinks.push(name);
    }
  }
  if (orphanNetns.length + orphanLinks.length === 0) return;
  const pids = [...pidsInNetns(orphanNetns).values()].flat();
  killAndWaitSync(pids);
  const batch = [...orphanLinks.map((l) => `link del ${l}`), ...orphanNetns.map((n) => `netns del ${n}`)];
  try {
    execFileSync(IP, ['-force', '-batch', '-'], { input: batch.join('\n') + '\n', stdio: ['pipe', 'ignore', 'ignore'] });
  } catch {
    // best effort
  }
}
