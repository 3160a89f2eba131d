import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '../../../electron/core/report';
import { openStore } from '../../../electron/core/store';
import { fixedClock, outputText, scratch, seedPlan } from './bundleFixture';
import { CLONES, WRITES, fileOps, parseSyscalls, type FileOp, type Syscall, type Trace } from './straceTrace';

// The export's crash order, read from the kernel's side: a real export runs in a child process
// under strace, and the trace must show every bundle file (and the archive) on disk before
// manifest.json is begun, the folders' entries on disk before manifest.json is renamed in,
// manifest.json in place before the signature (the commit marker) is created, and the archive
// renamed in only after the signature. A crash between any two syscalls then never leaves a
// signature over bytes that are not on disk.

const here = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(here, '../../..');
const STRACE = '/usr/bin/strace';
// Beyond the brief's calls: writes (an fsync must follow a file's LAST write), mkdir (a folder's
// new entries) and clone (which threads share a process's fd table). Writes print raw (hex
// arguments) so strace never dumps their bytes.
const TRACED = ['openat', 'fsync', 'fdatasync', 'close', 'rename', 'renameat', 'renameat2', 'mkdir', 'mkdirat', ...WRITES, ...CLONES];

// ---- the crash order an export must keep ----------------------------------------------------

function exportOrderProblems(ops: readonly FileOp[], dir: string): string[] {
  const problems: string[] = [];
  const rel = (path: string): string => (path.startsWith(`${dir}/`) ? path.slice(dir.length + 1) : path);
  const line = (at: number): string => `line ${at + 1}`;
  const isManifest = (path: string): boolean => path === `${dir}/manifest.json` || path.startsWith(`${dir}/manifest.json.partial-`);
  const isSignature = (path: string): boolean => path === `${dir}/manifest.json.sig` || path.startsWith(`${dir}/manifest.json.sig.partial-`);
  const isArchiveTemp = (path: string): boolean => path.startsWith(`${dir}.tar.partial-`);
  const opens = ops.filter((op) => op.kind === 'open');
  const renames = ops.filter((op): op is Extract<FileOp, { kind: 'rename' }> => op.kind === 'rename' && op.ok);
  /** Whether `path` was fsynced after its last write that began before `before`, and before `before`. */
  const syncedBefore = (path: string, before: number, notBefore = -1): boolean => {
    const last = Math.max(notBefore, ...ops.filter((op) => op.kind === 'write' && op.path === path && op.start < before).map((op) => op.end));
    return ops.some((op) => op.kind === 'sync' && op.ok && op.path === path && op.start > last && op.end < before);
  };

  const manifestOpen = opens.find((op) => isManifest(op.path));
  if (manifestOpen === undefined) return [`manifest.json (or its temp) was never opened in ${dir}: not a trace of this export`];
  const m = manifestOpen.start;
  const contents = [...new Set(opens.filter((op) => op.created && ((op.path.startsWith(`${dir}/`) && !isManifest(op.path) && !isSignature(op.path)) || isArchiveTemp(op.path))).map((op) => op.path))];
  if (!contents.some(isArchiveTemp)) problems.push(`the archive's temp (${dir}.tar.partial-*) was never created`);
  for (const path of contents) {
    const created = opens.find((op) => op.path === path && op.created);
    if (created !== undefined && created.start > m && !isArchiveTemp(path)) problems.push(`${rel(path)} was created (${line(created.start)}) after manifest.json was opened (${line(m)})`);
    if (!syncedBefore(path, m, created?.end)) problems.push(`${rel(path)}: no fsync after its last write and before manifest.json was opened (${line(m)})`);
    const late = ops.find((op) => op.kind === 'write' && op.path === path && op.end > m);
    if (late !== undefined && !isArchiveTemp(path)) problems.push(`${rel(path)} was written (${line(late.start)}) after manifest.json was opened (${line(m)})`);
  }

  const manifestRename = renames.find((op) => op.to === `${dir}/manifest.json` && isManifest(op.from));
  if (manifestRename === undefined) return [...problems, "manifest.json's temp was never renamed to manifest.json"];
  const folders = new Set([dir, ...contents.filter((path) => path.startsWith(`${dir}/`)).map((path) => posix.dirname(path))]);
  for (const folder of folders) {
    const entries = ops.filter((op) => ((op.kind === 'open' && op.created) || op.kind === 'mkdir') && posix.dirname(op.path) === folder && op.start < m);
    const last = Math.max(-1, ...entries.map((op) => op.end));
    if (!ops.some((op) => op.kind === 'sync' && op.ok && op.path === folder && op.start > last && op.end < manifestRename.start)) {
      problems.push(`folder ${folder === dir ? '.' : rel(folder)}/: no fsync after its last new entry (${line(last)}) and before manifest.json's rename (${line(manifestRename.start)})`);
    }
  }
  if (!syncedBefore(manifestRename.from, manifestRename.start)) problems.push(`${rel(manifestRename.from)}: not fsynced after its last write and before its rename (${line(manifestRename.start)})`);

  const signatureOpen = opens.find((op) => isSignature(op.path));
  if (signatureOpen === undefined) return [...problems, 'the signature (manifest.json.sig or its temp) was never created'];
  if (manifestRename.end > signatureOpen.start) problems.push(`manifest.json's rename (${line(manifestRename.start)}) had not returned when the signature was created (${line(signatureOpen.start)})`);
  if (!ops.some((op) => op.kind === 'sync' && op.ok && op.path === dir && op.start > manifestRename.end && op.end < signatureOpen.start)) {
    problems.push(`folder ./: no fsync between manifest.json's rename (${line(manifestRename.end)}) and the signature's creation (${line(signatureOpen.start)})`);
  }
  const signatureRename = renames.find((op) => op.to === `${dir}/manifest.json.sig` && isSignature(op.from));
  if (signatureRename === undefined) return [...problems, "the signature's temp was never renamed to manifest.json.sig"];
  if (!syncedBefore(signatureRename.from, signatureRename.start)) problems.push(`${rel(signatureRename.from)}: not fsynced after its last write and before its rename (${line(signatureRename.start)})`);

  const archiveRename = renames.find((op) => op.to === `${dir}.tar` && isArchiveTemp(op.from));
  if (archiveRename === undefined) return [...problems, `the archive's temp was never renamed to ${dir}.tar`];
  if (archiveRename.start < signatureRename.end) problems.push(`the archive was renamed into place (${line(archiveRename.start)}) before the signature's rename returned (${line(signatureRename.end)})`);
  if (!syncedBefore(archiveRename.from, archiveRename.start)) problems.push(`${archiveRename.from}: not fsynced after its last write and before its rename (${line(archiveRename.start)})`);
  return problems;
}

function summary(trace: Trace, dir: string): string {
  const inBundle = (path: string): boolean => path.startsWith(`${dir}/`) || path === dir || path.startsWith(`${dir}.tar`);
  const created = trace.ops.filter((op) => op.kind === 'open' && op.created && inBundle(op.path)).length;
  const syncs = new Map<string, number>();
  for (const op of trace.ops) if (op.kind === 'sync' && inBundle(op.path)) syncs.set(op.path.slice(dirname(dir).length + 1), (syncs.get(op.path.slice(dirname(dir).length + 1)) ?? 0) + 1);
  return [`${created} files created in the bundle; ${trace.unnamedSyncs} fsyncs on unnamed fds; fsyncs per path:`, ...[...syncs].map(([path, n]) => `  ${n} ${path}`)].join('\n');
}

function check(text: string, dir: string): { problems: string[]; trace: Trace; calls: Syscall[] } {
  const calls = parseSyscalls(text);
  const trace = fileOps(calls, REPO_ROOT);
  return { problems: exportOrderProblems(trace.ops, dir), trace, calls };
}

// ---- the export under strace ------------------------------------------------------------

const STREAMS_PER_STEP = ['stdout', 'stderr'];
const STEPS = 16;
let work: ReturnType<typeof scratch>;
let log: string;
let exported: { dir: string; archivePath: string; allowedSigners: string };

beforeAll(async () => {
  if (!existsSync(STRACE)) throw new Error(`strace is not installed (${STRACE}): apt-get install strace`);
  work = scratch('durability');
  const dataDir = join(work.dir, 'data');
  const store = openStore({ dataDir, clock: fixedClock() });
  const planHash = seedPlan(store, 'durability');
  const { runId } = store.runs.create({ planHash, label: 'durability' });
  const streams: string[] = [];
  for (let step = 0; step < STEPS; step++) {
    const outputs = STREAMS_PER_STEP.map((kind, k) => {
      const stream = `step:deploy-${step}/web${step % 3}/${kind}`;
      const writer = store.output.openWriter(runId, stream);
      const text = outputText(step * 2 + k, kind === 'stdout' ? 160_000 : 3_000);
      for (let at = 0; at < text.length; at += 64 * 1024) writer.write(text.subarray(at, at + 64 * 1024));
      streams.push(stream);
      return { stream, ...writer.close() };
    });
    store.journal.append(runId, { type: 'step.ended', payload: { step: `deploy-${step}`, host: `web${step % 3}`, exitCode: 0, outputs: outputs.map(({ stream, length, sha256 }) => ({ stream, length, sha256 })) } });
  }
  store.close();
  const config = join(work.dir, 'child.json');
  writeFileSync(config, JSON.stringify({ dataDir, work: join(work.dir, 'out'), runId, planHash, streams }));
  log = join(work.dir, 'export.strace');
  const strace = ['-f', '--seccomp-bpf', '-qq', '-s', '4096', '-e', `trace=${TRACED.join(',')}`, '-e', `raw=${WRITES.join(',')}`, '-o', log];
  // libuv may hand file work to io_uring, which strace cannot see: keep it on plain syscalls.
  const child = await promisify(execFile)(STRACE, [...strace, process.execPath, '--import', 'tsx', join(here, 'fixtures/exportChild.ts'), config], {
    cwd: REPO_ROOT,
    env: { ...process.env, UV_USE_IO_URING: '0' },
    timeout: 60_000,
  });
  exported = JSON.parse(child.stdout.trim()) as typeof exported;
}, 90_000);
afterAll(() => work?.cleanup());

// Three threads of one process: fd 20 is opened by one and written and fsynced by another, and
// fd 21 is reused by b.txt's open while a.txt's close has not returned.
const SYNTHETIC = String.raw`100 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD, exit_signal=0} => {parent_tid=[101]}, 88) = 101
100 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD, exit_signal=0} => {parent_tid=[102]}, 88) = 102
101 mkdir("/b/x", 0777) = 0
101 openat(AT_FDCWD, "/b/x.tar.partial-1", O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, 0644) = 20
101 openat(AT_FDCWD, "/b/x/a.txt", O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, 0644 <unfinished ...>
102 pwrite64(0x14, 0x1000, 0x200, 0) = 0x200
101 <... openat resumed>) = 21
102 pwrite64(0x15, 0x2000, 0x5, 0) = 0x5
101 fsync(21 <unfinished ...>
102 pwrite64(0x14, 0x2000, 0x200, 0x200) = 0x200
101 <... fsync resumed>) = 0
101 close(21 <unfinished ...>
102 openat(AT_FDCWD, "/b/x/b.txt", O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, 0644) = 21
101 <... close resumed>) = 0
102 pwrite64(0x15, 0x3000, 0x7, 0) = 0x7
102 fdatasync(21) = 0
102 close(21) = 0
101 fsync(20) = 0
100 openat(AT_FDCWD, "/b/x", O_RDONLY|O_CLOEXEC) = 22
101 fsync(22) = 0
100 close(22) = 0
101 openat(AT_FDCWD, "/b/x/manifest.json.partial-2", O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, 0644) = 23
101 write(0x17, 0x4000, 0x40) = 0x40
101 fsync(23) = 0
101 close(23) = 0
101 rename("/b/x/manifest.json.partial-2", "/b/x/manifest.json") = 0
101 openat(AT_FDCWD, "/b/x", O_RDONLY|O_CLOEXEC) = 23
101 fsync(23) = 0
101 close(23) = 0
101 openat(AT_FDCWD, "/b/x/manifest.json.sig.partial-3", O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, 0644) = 23
101 write(0x17, 0x5000, 0x40) = 0x40
101 fsync(23) = 0
101 close(23) = 0
101 rename("/b/x/manifest.json.sig.partial-3", "/b/x/manifest.json.sig") = 0
102 pwrite64(0x14, 0x6000, 0x400, 0x400) = 0x400
102 fsync(20) = 0
102 close(20) = 0
102 rename("/b/x.tar.partial-1", "/b/x.tar") = 0
`;

describe('the trace checker on a hand-written trace', () => {
  it('follows fds across threads and through a close that has not returned', () => {
    expect(check(SYNTHETIC, '/b/x').problems).toEqual([]);
  });

  it('reports a write after the fsync, and an archive renamed in before the signature', () => {
    const lateWrite = SYNTHETIC.replace('102 pwrite64(0x15, 0x3000, 0x7, 0) = 0x7\n102 fdatasync(21) = 0\n', '102 fdatasync(21) = 0\n102 pwrite64(0x15, 0x3000, 0x7, 0) = 0x7\n');
    expect(check(lateWrite, '/b/x').problems).toEqual([expect.stringMatching(/^b\.txt: no fsync after its last write/)]);
    const archiveRename = '102 rename("/b/x.tar.partial-1", "/b/x.tar") = 0\n';
    const early = SYNTHETIC.replace(archiveRename, '').replace('101 rename("/b/x/manifest.json.sig', `${archiveRename}101 rename("/b/x/manifest.json.sig`);
    expect(check(early, '/b/x').problems).toContainEqual(expect.stringMatching(/^the archive was renamed into place \(line 34\) before the signature's rename returned/));
  });
});

describe('an export traced by strace', () => {
  it('puts every file, folder and the manifest on disk before the signature, and the archive after it', async () => {
    const { problems, trace } = check(readFileSync(log, 'utf8'), exported.dir);
    expect(problems, summary(trace, exported.dir)).toEqual([]);
    // The trace is of a real, whole export: 32 outputs, the report files, two attachments.
    const outputs = trace.ops.filter((op) => op.kind === 'open' && op.created && op.path.startsWith(`${exported.dir}/outputs/`));
    expect(outputs).toHaveLength(STEPS * STREAMS_PER_STEP.length);
    const verdict = await verifyBundle(exported.dir, { allowedSigners: exported.allowedSigners });
    expect(verdict.status, verdict.reason).toBe('trusted');
  });

  it('reports the file whose fsync is missing from a doctored trace', () => {
    const text = readFileSync(log, 'utf8');
    const { calls, trace } = check(text, exported.dir);
    const target = trace.ops.find((op) => op.kind === 'sync' && op.path.startsWith(`${exported.dir}/outputs/0007-`));
    if (target === undefined) throw new Error(`no fsync of outputs/0007-* in the trace\n${summary(trace, exported.dir)}`);
    const dropped = new Set(calls.filter((call) => call.start === target.start).flatMap((call) => [call.start, call.end]));
    const doctored = text.split('\n').filter((_, index) => !dropped.has(index)).join('\n');
    const { problems } = check(doctored, exported.dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^outputs\/0007-step_deploy-3_web0_stdout\.bin: no fsync after its last write/);
  });

  it("reports a missing fsync of outputs/ before manifest.json's rename", () => {
    const text = readFileSync(log, 'utf8');
    const { calls, trace } = check(text, exported.dir);
    const dropped = new Set(trace.ops.filter((op) => op.kind === 'sync' && op.path === `${exported.dir}/outputs`).flatMap((op) => calls.filter((call) => call.start === op.start).flatMap((call) => [call.start, call.end])));
    expect(dropped.size).toBeGreaterThan(0);
    const { problems } = check(text.split('\n').filter((_, index) => !dropped.has(index)).join('\n'), exported.dir);
    expect(problems).toEqual([expect.stringMatching(/^folder outputs\/: no fsync after its last new entry/)]);
  });
});
