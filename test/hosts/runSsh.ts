// Runs the OpenSSH client against a lab host: the reference client for the lab's own tests and
// for benchmarks that compare against plain `ssh`.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TestLab } from './types';

export const SSH = '/usr/bin/ssh';

export interface SshRunOptions {
  /** extra ssh options, before the host name (e.g. ['-o', 'ConnectTimeout=2']) */
  args?: string[];
  env?: Record<string, string>;
  input?: string;
  /** kill ssh after this long (default 30 s) */
  timeoutMs?: number;
}

export interface SshRunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function spawnSsh(lab: TestLab, host: string, command: string, opts: SshRunOptions = {}): ChildProcess {
  if (!existsSync(SSH)) throw new Error(`${SSH} is missing (package openssh-client): bash scripts/install-peers.sh`);
  lab.host(host);
  return spawn(SSH, ['-F', lab.sshConfigPath, ...(opts.args ?? []), host, command], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...(opts.env ?? {}) },
    stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group, so a timeout also kills the ProxyJump children holding the pipes.
    detached: true,
  });
}

export async function runSsh(lab: TestLab, host: string, command: string, opts: SshRunOptions = {}): Promise<SshRunResult> {
  const started = Date.now();
  const child = spawnSsh(lab, host, command, opts);
  // ssh that fails before reading its input (a refused connection: what some tests expect)
  // closes the pipe: EPIPE here is that outcome, reported by the exit code and stderr below.
  child.stdin!.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  child.stdin!.end(opts.input ?? '');
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }, opts.timeoutMs ?? 30_000);
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, stdout, stderr, ms: Date.now() - started };
}
