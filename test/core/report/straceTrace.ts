// strace output -> syscalls -> file operations, for tests that check the order in which a
// process's file syscalls reach the kernel (exportDurability.test.ts). Threads (strace -f) share
// one fd table per process; a call cut by another thread (<unfinished ...>) is joined again.
import { posix } from 'node:path';

export const WRITES = ['write', 'pwrite64', 'writev', 'pwritev', 'pwritev2'];
export const CLONES = ['clone', 'clone3', 'fork', 'vfork'];
export interface Syscall {
  readonly tid: number;
  readonly name: string;
  readonly args: string;
  readonly ret: string;
  /** Line (0-based) where the call entered and where it returned: A happened before B when A.end < B.start. */
  readonly start: number;
  readonly end: number;
}

/** Joins `<unfinished ...>` / `<... resumed>` halves: with -f, threads interleave mid-call. */
export function parseSyscalls(text: string): Syscall[] {
  const calls: Syscall[] = [];
  const pending = new Map<number, { name: string; head: string; start: number }>();
  const push = (tid: number, name: string, full: string, start: number, end: number): void => {
    const split = /^(.*)\)\s+= (.*)$/s.exec(full);
    if (split !== null) calls.push({ tid, name, args: split[1] ?? '', ret: split[2] ?? '', start, end });
  };
  text.split('\n').forEach((line, index) => {
    const match = /^(\d+)\s+(.*)$/.exec(line);
    if (match === null) return;
    const tid = Number(match[1]);
    const body = match[2] ?? '';
    const resumed = /^<\.\.\. (\w+) resumed>(.*)$/.exec(body);
    if (resumed !== null) {
      const head = pending.get(tid);
      pending.delete(tid);
      if (head !== undefined && head.name === resumed[1]) push(tid, head.name, head.head + (resumed[2] ?? ''), head.start, index);
      return;
    }
    const call = /^(\w+)\((.*)$/.exec(body);
    if (call === null) return;
    const [, name = '', rest = ''] = call;
    if (rest.endsWith(' <unfinished ...>')) pending.set(tid, { name, head: rest.slice(0, -' <unfinished ...>'.length), start: index });
    else push(tid, name, rest, index, index);
  });
  return calls;
}

export type FileOp =
  | { readonly kind: 'open'; readonly path: string; readonly created: boolean; readonly start: number; readonly end: number }
  | { readonly kind: 'write' | 'sync' | 'mkdir'; readonly path: string; readonly ok: boolean; readonly start: number; readonly end: number }
  | { readonly kind: 'rename'; readonly from: string; readonly to: string; readonly ok: boolean; readonly start: number; readonly end: number };

export interface Trace {
  readonly ops: readonly FileOp[];
  /** fsyncs on an fd this parser could not name (opened before the trace, or dup'ed). */
  readonly unnamedSyncs: number;
}

function stringsIn(args: string): string[] {
  return [...args.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map(([, s = '']) =>
    s.replace(/\\(x[0-9a-f]{2}|[0-7]{1,3}|.)/g, (_, e: string) => (e.startsWith('x') ? String.fromCharCode(parseInt(e.slice(1), 16)) : /^[0-7]/.test(e) ? String.fromCharCode(parseInt(e, 8)) : e === 'n' ? '\n' : e === 't' ? '\t' : e)),
  );
}

/**
 * Names each fd by the path it was opened with. fds belong to a process, shared by its threads
 * (libuv's pool does the opens, writes and fsyncs), so the table is per thread group. An fd is
 * named when its openat returns and forgotten when its close enters: between those, no other
 * open can be given the same number.
 */
export function fileOps(calls: readonly Syscall[], cwd: string): Trace {
  const group = new Map<number, number>();
  for (const call of [...calls].sort((a, b) => a.end - b.end)) {
    const child = Number(call.ret);
    if (CLONES.includes(call.name) && child > 0 && /CLONE_THREAD/.test(call.args)) group.set(child, group.get(call.tid) ?? call.tid);
  }
  const tables = new Map<number, Map<number, string>>();
  const table = (tid: number): Map<number, string> => {
    const id = group.get(tid) ?? tid;
    const found = tables.get(id) ?? new Map<number, string>();
    tables.set(id, found);
    return found;
  };
  const ops: FileOp[] = [];
  let unnamedSyncs = 0;
  const effects: { at: number; phase: number; run: () => void }[] = [];
  for (const call of calls) {
    const ok = !call.ret.startsWith('-') && !call.ret.startsWith('?');
    const first = call.args.split(',')[0]?.trim() ?? '';
    const fd = Number(first);
    // Run inside an effect: a relative path is named by its folder fd as the table stands then.
    const where = (dirFd: string, path: string): string => (path.startsWith('/') ? posix.normalize(path) : posix.join(dirFd === 'AT_FDCWD' || dirFd === '' ? cwd : (table(call.tid).get(Number(dirFd)) ?? `<fd ${dirFd}>`), path));
    const strings = stringsIn(call.args);
    const span = { start: call.start, end: call.end };
    if (call.name === 'openat' && ok) {
      const created = /\bO_CREAT\b/.test(call.args.replace(/"(?:[^"\\]|\\.)*"/g, ''));
      effects.push({
        at: call.end,
        phase: 1,
        run: () => {
          const path = where(first, strings[0] ?? '');
          table(call.tid).set(Number(call.ret), path);
          ops.push({ kind: 'open', path, created, ...span });
        },
      });
    } else if (call.name === 'close') {
      effects.push({ at: call.start, phase: 0, run: () => void table(call.tid).delete(fd) });
    } else if (call.name === 'fsync' || call.name === 'fdatasync' || WRITES.includes(call.name)) {
      const kind = WRITES.includes(call.name) ? 'write' : 'sync';
      effects.push({
        at: call.start,
        phase: 0,
        run: () => {
          const path = table(call.tid).get(fd);
          if (path !== undefined) ops.push({ kind, path, ok, ...span });
          else if (kind === 'sync') unnamedSyncs++;
        },
      });
    } else if (call.name.startsWith('rename')) {
      const dirFds = call.name === 'rename' ? ['AT_FDCWD', 'AT_FDCWD'] : call.args.replace(/"(?:[^"\\]|\\.)*"/g, '').split(',').map((part) => part.trim()).filter((_, i) => i === 0 || i === 2);
      effects.push({ at: call.end, phase: 1, run: () => void ops.push({ kind: 'rename', from: where(dirFds[0] ?? '', strings[0] ?? ''), to: where(dirFds[1] ?? '', strings[1] ?? ''), ok, ...span }) });
    } else if (call.name === 'mkdir' || call.name === 'mkdirat') {
      const dirFd = call.name === 'mkdir' ? 'AT_FDCWD' : first;
      if (ok) effects.push({ at: call.end, phase: 1, run: () => void ops.push({ kind: 'mkdir', path: where(dirFd, strings[0] ?? ''), ok, ...span }) });
    } else if (CLONES.includes(call.name) && ok && !/CLONE_THREAD/.test(call.args)) {
      // A new process starts with a copy of its parent's fd table.
      effects.push({ at: call.end, phase: 1, run: () => void tables.set(Number(call.ret), new Map(table(call.tid))) });
    }
  }
  effects.sort((a, b) => a.at - b.at || a.phase - b.phase).forEach((effect) => effect.run());
  return { ops, unnamedSyncs };
}
