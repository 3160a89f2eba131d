// The wrapper's host scripts on a busybox system: /bin/sh is busybox ash and every tool the
// scripts call (setsid, dd, ls, sleep, date, mkdir, kill) is a busybox applet. Each script runs
// in a private mount namespace where busybox is bound over /bin/sh's target, PATH holding only
// busybox applets; the frames it prints are read by the client's own FrameReader. (sshd adds
// nothing here: the other tests cover the SSH side against real hosts.)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelScript, launchScript, reattachScript } from '../../../../electron/core/ssh/exec/controlScripts';
import { FrameReader, type FrameEvent } from '../../../../electron/core/ssh/exec/frameReader';
import { buildJobScript } from '../../../../electron/core/ssh/exec/jobScript';

const BUSYBOX = '/bin/busybox';
const MARKER = 'fieldrun-frames-busybox';
const APPLETS = ['sh', 'setsid', 'dd', 'ls', 'sleep', 'date', 'mkdir', 'cat', 'kill', 'rm', 'find', 'uname', 'echo', 'printf', 'seq', 'head'];
let work: string;
let bin: string;
let home: string;

beforeAll(() => {
  if (!existsSync(BUSYBOX)) throw new Error(`${BUSYBOX} is missing: apt-get install -y busybox (or bash scripts/install-peers.sh)`);
  if (process.getuid?.() !== 0) throw new Error('the busybox host test binds busybox over /bin/sh in a private mount namespace, which needs root');
  work = mkdtempSync(join(tmpdir(), 'fieldrun-busybox-'));
  bin = join(work, 'bin');
  home = join(work, 'home');
  mkdirSync(bin);
  mkdirSync(home);
  for (const applet of APPLETS) symlinkSync(BUSYBOX, join(bin, applet));
});

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

interface HostRun {
  events: FrameEvent[];
  stdout: string;
  stderr: string;
}

/** Runs one control script as the host would, under busybox; `onReady` answers an 'r' frame. */
function onBusybox(script: string, from = { stdout: 0, stderr: 0 }): Promise<HostRun> {
  const shTarget = realpathSync('/bin/sh');
  return new Promise((resolve, reject) => {
    const child = spawn(
      '/usr/bin/unshare',
      ['--mount', '--propagation', 'private', '/usr/bin/dash', '-c', `/usr/bin/mount --bind ${BUSYBOX} ${shTarget} && PATH=${bin} HOME=${home} exec /bin/sh -s`],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const reader = new FrameReader(from, MARKER);
    const events: FrameEvent[] = [];
    const out: Record<'stdout' | 'stderr', Buffer[]> = { stdout: [], stderr: [] };
    let diagnostics = '';
    child.stdout.on('data', (chunk: Buffer) => {
      for (const event of reader.feed(chunk)) {
        events.push(event);
        if (event.type === 'data') out[event.stream].push(Buffer.from(event.data));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (diagnostics += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`busybox sh exited ${code}: ${diagnostics}`));
      resolve({ events, stdout: Buffer.concat(out.stdout).toString(), stderr: Buffer.concat(out.stderr).toString() });
    });
    child.stdin.end(script);
  });
}

function launch(execId: string, command: string, timeoutSeconds?: number): string {
  return launchScript({ execId, marker: MARKER, job: buildJobScript({ command, env: { GREETING: "it's busybox" }, cwd: '/' }), sudoPassword: undefined, timeoutSeconds, graceSeconds: 1, stdinLength: undefined });
}

const final = (run: HostRun): FrameEvent | undefined => run.events.at(-1);

describe('the wrapper on a busybox host', () => {
  it('runs under busybox ash itself', () => {
    const probe = spawnSync('/usr/bin/unshare', ['--mount', '--propagation', 'private', '/usr/bin/dash', '-c', `/usr/bin/mount --bind ${BUSYBOX} ${realpathSync('/bin/sh')} && /bin/sh --help 2>&1`]);
    expect(probe.stdout.toString()).toMatch(/^BusyBox v/);
  });

  it('records the exit code and streams stdout and stderr apart', async () => {
    const run = await onBusybox(launch('bb.exit', 'echo "$GREETING from $(pwd)"; ls /nonexistent-dir; exit 3'));
    expect(run.stdout).toBe("it's busybox from /\n");
    expect(run.stderr).toMatch(/nonexistent-dir/);
    expect(final(run)).toMatchObject({ type: 'finished', record: expect.stringMatching(/^3 \d+ -$/) });
  });

  it('tells a signal from an exit code', async () => {
    expect(final(await onBusybox(launch('bb.signal', 'kill -TERM $$')))).toMatchObject({ record: expect.stringMatching(/^signal:TERM /) });
    expect(final(await onBusybox(launch('bb.143', 'exit 143')))).toMatchObject({ record: expect.stringMatching(/^143 /) });
  });

  it('enforces the timeout on the whole process group', async () => {
    const run = await onBusybox(launch('bb.timeout', 'sleep 6101 & sleep 6102; echo never', 1));
    expect(final(run)).toMatchObject({ record: expect.stringMatching(/^signal:TERM \d+ timeout$/) });
    expect(run.stdout).toBe('');
    expect(spawnSync('pgrep', ['-f', 'sleep 610[12]']).stdout.toString()).toBe('');
  });

  it('cancels a running command and reattaches from an offset', async () => {
    const running = onBusybox(launch('bb.cancel', "trap '' TERM; seq 1 100; sleep 6201"));
    await new Promise((r) => setTimeout(r, 700));
    const cancel = spawnSync('/usr/bin/unshare', ['--mount', '--propagation', 'private', '/usr/bin/dash', '-c', `/usr/bin/mount --bind ${BUSYBOX} ${realpathSync('/bin/sh')} && PATH=${bin} HOME=${home} exec /bin/sh -s`], {
      input: cancelScript('bb.cancel', 10),
    });
    expect(cancel.stdout.toString().trim()).toBe('stopped');
    const run = await running;
    expect(final(run)).toMatchObject({ record: expect.stringMatching(/^signal:KILL \d+ cancel$/) });
    expect(spawnSync('pgrep', ['-f', 'sleep 6201']).stdout.toString()).toBe('');

    const numbers = Array.from({ length: 100 }, (_, i) => `${i + 1}\n`).join('');
    const rest = await onBusybox(reattachScript('bb.cancel', MARKER, 100, 0), { stdout: 100, stderr: 0 });
    expect(rest.stdout).toBe(numbers.slice(100));
    expect(final(rest)).toMatchObject({ type: 'finished' });
  });
});
