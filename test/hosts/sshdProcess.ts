// Starting a host's listening sshd and knowing when it accepts connections.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { IP } from './labRegistry';

export const SSHD = '/usr/sbin/sshd';
const UNSHARE = '/usr/bin/unshare';

export interface SshdLaunch {
  labId: string;
  host: string;
  configPath: string;
  logPath: string;
  /** stdout/stderr of the start script and sshd's early errors */
  startLogPath: string;
  /** namespaces mode: the host's network namespace, hostname and bind mounts */
  netns?: { name: string; hostname: string; mounts: Array<[string, string]> };
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function startScript(l: SshdLaunch): string {
  const ns = l.netns!;
  return [
    'set -e',
    // Forwarding off even where the machine has it on (new namespaces inherit IPv4 settings):
    // a jump host must reach the inner network only through sshd's TCP forwarding.
    'echo 0 > /proc/sys/net/ipv4/ip_forward',
    `echo ${quote(ns.hostname)} > /proc/sys/kernel/hostname`,
    ...ns.mounts.map(([src, dst]) => `if [ -e ${quote(dst)} ]; then mount --bind ${quote(src)} ${quote(dst)}; fi`),
    `exec ${SSHD} -D -f ${quote(l.configPath)} -E ${quote(l.logPath)}`,
  ].join('\n');
}

function logSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function readOr(path: string, fallback = ''): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

/**
 * Starts the listening sshd (in namespaces: inside a fresh mount and UTS namespace of the host's
 * network namespace) and resolves with its pid once it listens. The process is detached and
 * unreferenced: the lab, not this process's lifetime, decides when it ends.
 */
export async function startSshd(l: SshdLaunch, timeoutMs = 10_000): Promise<number> {
  const logOffset = logSize(l.logPath);
  const out = openSync(l.startLogPath, 'a');
  const env = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' };
  const child =
    l.netns === undefined
      ? spawn(SSHD, ['-D', '-f', l.configPath, '-E', l.logPath], { env, stdio: ['ignore', out, out], detached: true })
      : spawn(IP, ['netns', 'exec', l.netns.name, UNSHARE, '--mount', '--uts', '--propagation', 'slave', '--', '/bin/sh', '-c', startScript(l)], {
          env,
          stdio: ['ignore', out, out],
          detached: true,
        });
  closeSync(out);
  child.unref();
  let exited: string | undefined;
  child.once('exit', (code, sig) => {
    exited = sig === null ? `exit code ${String(code)}` : `signal ${sig}`;
  });
  child.once('error', (e) => {
    exited = e.message;
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // sshd logs this line right after listen(), so a connection from now on is accepted.
    if (readOr(l.logPath).slice(logOffset).includes('Server listening on')) return child.pid!;
    if (exited !== undefined || Date.now() > deadline) {
      const why = exited === undefined ? `not listening after ${timeoutMs} ms` : `ended (${exited})`;
      if (exited === undefined && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      const tail = (s: string): string => s.split('\n').slice(-15).join('\n');
      throw new Error(`sshd of test host '${l.host}' ${why}.\nstart output:\n${tail(readOr(l.startLogPath))}\nsshd log:\n${tail(readOr(l.logPath).slice(logOffset))}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}
