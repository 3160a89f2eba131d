// Finding and killing the lab's processes through /proc: which network namespace a process is
// in, which lab started it (an environment marker), whether a lab's owner is still alive.
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';

export interface ProcessOwner {
  pid: number;
  /** /proc/<pid>/stat start time, so a reused pid is not taken for the owner */
  startTime: string;
}

export function allPids(): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    const n = Number(e);
    if (Number.isInteger(n) && n > 0) out.push(n);
  }
  return out;
}

export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses): state is field 3,
    // starttime field 22.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest[19];
  } catch {
    return undefined;
  }
}

export function currentOwner(): ProcessOwner {
  return { pid: process.pid, startTime: processStartTime(process.pid) ?? '' };
}

export function ownerAlive(owner: ProcessOwner): boolean {
  const st = processStartTime(owner.pid);
  return st !== undefined && st === owner.startTime;
}

function netnsInode(path: string): number | undefined {
  try {
    return statSync(path).ino;
  } catch {
    return undefined;
  }
}

/** Pids whose network namespace is one of the named `ip netns` namespaces. */
export function pidsInNetns(names: string[]): Map<string, number[]> {
  const byInode = new Map<number, string>();
  for (const name of names) {
    const ino = netnsInode(`/run/netns/${name}`);
    if (ino !== undefined) byInode.set(ino, name);
  }
  const out = new Map<string, number[]>(names.map((n) => [n, []]));
  if (byInode.size === 0) return out;
  for (const pid of allPids()) {
    const ino = netnsInode(`/proc/${pid}/ns/net`);
    const name = ino === undefined ? undefined : byInode.get(ino);
    if (name !== undefined) out.get(name)!.push(pid);
  }
  return out;
}

/**
 * Pids with an open file under `dir`. Every sshd process of a lab host holds its log file open
 * (the listener and each connection's processes, which re-execute with the same -E), while
 * sshd overwrites its command line and environment with a process title, so this is how a lab's
 * sshds are found outside a namespace.
 */
export function pidsHoldingFilesUnder(dir: string): number[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  const out: number[] = [];
  for (const pid of allPids()) {
    if (pid === process.pid) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      if (target.startsWith(prefix)) {
        out.push(pid);
        break;
      }
    }
  }
  return out;
}

export function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').split('\0').join(' ');
  } catch {
    return undefined;
  }
}

export function executable(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return undefined;
  }
}

export function parentPid(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function isGone(pid: number): boolean {
  try {
    // A zombie still has /proc/<pid>; it holds no namespace or port any more, so it counts as gone.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

export function signal(pids: number[], sig: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

function depth(pid: number, within: Set<number>): number {
  let d = 0;
  for (let p = parentPid(pid); p !== undefined && within.has(p) && d < 64; p = parentPid(p)) d++;
  return d;
}

/**
 * Groups the processes deepest first. Killing children before their parents lets each parent
 * reap them: an orphan is adopted by this machine's pid 1, which never reaps, and stays a zombie.
 */
function killOrder(pids: number[]): number[][] {
  const within = new Set(pids);
  const byDepth = new Map<number, number[]>();
  for (const pid of pids) {
    const d = depth(pid, within);
    byDepth.set(d, [...(byDepth.get(d) ?? []), pid]);
  }
  return [...byDepth.entries()].sort((a, b) => b[0] - a[0]).map(([, group]) => group);
}

/** Gone, or a zombie nobody will reap soon (the parent is outside the set or already dead). */
function isReapedOrAbandoned(pid: number, within: Set<number>): boolean {
  if (isGone(pid) === false) return false;
  if (!existsSync(`/proc/${pid}`)) return true;
  const parent = parentPid(pid);
  return parent === undefined || !within.has(parent) || isGone(parent);
}

/** SIGKILL and wait until the processes are gone (bounded: a process in D state may linger). */
export async function killAndWait(pids: number[], timeoutMs = 5000): Promise<void> {
  const within = new Set(pids);
  const deadline = Date.now() + timeoutMs;
  for (const group of killOrder(pids)) {
    signal(group, 'SIGKILL');
    // Give parents a moment to reap (their SIGCHLD handlers run); then move on.
    const reapBy = Date.now() + 200;
    while (group.some((p) => !isReapedOrAbandoned(p, within)) && Date.now() < reapBy) await new Promise((r) => setTimeout(r, 2));
  }
  while (pids.some((p) => !isGone(p))) {
    if (Date.now() > deadline) throw new Error(`processes ${pids.filter((p) => !isGone(p)).join(', ')} did not die after SIGKILL`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function killAndWaitSync(pids: number[], timeoutMs = 5000): void {
  const within = new Set(pids);
  const sab = new Int32Array(new SharedArrayBuffer(4));
  for (const group of killOrder(pids)) {
    signal(group, 'SIGKILL');
    const reapBy = Date.now() + 200;
    while (group.some((p) => !isReapedOrAbandoned(p, within)) && Date.now() < reapBy) Atomics.wait(sab, 0, 0, 2);
  }
  const deadline = Date.now() + timeoutMs;
  while (pids.some((p) => !isGone(p)) && Date.now() < deadline) Atomics.wait(sab, 0, 0, 5);
}
