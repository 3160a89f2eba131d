// What the benchmarks share to drive the peers (OpenSSH client, Ansible) and measure them: bash
// with child CPU, the whole machine's CPU, Ansible install and settings, OpenSSH options for a
// lab, and the Fieldrun side's credentials. Not a benchmark itself.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestHost, TestLab } from '../hosts';
import type { CredentialProfile } from '../../electron/core/ssh/connection';

export interface Timed {
  wallMs: number;
  /** the client's CPU: this process for Fieldrun, the peer's processes (children) for the others */
  clientCpuMs: number;
  /** all busy CPU of the machine during the run (client, sshd, the hosts' processes) */
  machineCpuMs: number;
}

/** Busy CPU time of the whole machine (client, sshd, the hosts' processes), in ms. */
export function machineCpuMs(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const busy = fields.reduce((a, b) => a + b, 0) - (fields[3] ?? 0) - (fields[4] ?? 0);
  return busy * 10; // USER_HZ is 100 on Linux
}

export function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

/** Times an action; its client CPU is what it returns as `clientCpuMs` (a peer's children), or else this process's. */
export async function timed(action: () => Promise<unknown>): Promise<Timed> {
  const cpu0 = machineCpuMs();
  const self0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await action();
  const wallMs = performance.now() - t0;
  const own = cpuMs(self0);
  const peer = typeof result === 'object' && result !== null && 'clientCpuMs' in result && typeof result.clientCpuMs === 'number' ? result.clientCpuMs : undefined;
  return { wallMs, clientCpuMs: peer ?? own, machineCpuMs: machineCpuMs() - cpu0 };
}

/** Runs a bash script; `times` at its end gives the CPU its children (ssh, ansible) used. */
export function bash(script: string, env: NodeJS.ProcessEnv = {}): Promise<{ stdout: string; childCpuMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `${script}\ntimes >&2`], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
    child.on('close', (code) => {
      const times = stderr.trim().split('\n').at(-1) ?? '';
      const seconds = [...times.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
      if (code !== 0 || seconds.length !== 2) return reject(new Error(`bash exited ${code}: ${stderr.slice(-2000)}`));
      resolve({ stdout: Buffer.concat(out).toString(), childCpuMs: (seconds[0]! + seconds[1]!) * 1000 });
    });
  });
}

export function ensureAnsible(): string {
  if (spawnSync('ansible-playbook', ['--version']).status !== 0) {
    console.log('Ansible is missing: apt-get install -y ansible');
    let install = spawnSync('apt-get', ['install', '-y', 'ansible'], { stdio: 'inherit' });
    if (install.status !== 0) {
      spawnSync('apt-get', ['update'], { stdio: 'inherit' });
      install = spawnSync('apt-get', ['install', '-y', 'ansible'], { stdio: 'inherit' });
    }
    if (install.status !== 0) throw new Error('could not install Ansible: apt-get install -y ansible failed');
  }
  return spawnSync('ansible-playbook', ['--version']).stdout.toString().split('\n')[0] ?? '?';
}

/** The versions of the peers, printed with every table. */
export function peerVersions(ansible?: string): string {
  const ssh = spawnSync('ssh', ['-V']).stderr.toString().trim();
  const ssh2 = (JSON.parse(readFileSync(new URL('../../node_modules/ssh2/package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return [ssh, `sshd of the same package set`, ...(ansible === undefined ? [] : [ansible]), `Node ${process.version}`, `ssh2 ${ssh2}`].join('; ');
}

/** The lab's login key as Fieldrun's credential profile. */
export function labCredentials(lab: TestLab): CredentialProfile[] {
  return [{ name: 'lab', appliesTo: { all: true }, credentials: [{ kind: 'privateKey', keyPath: lab.user.privateKeyPath }] }];
}

/** known_hosts for the lab's hosts by address, in the work folder; returns its path. */
function writeKnownHosts(lab: TestLab, work: string): string {
  const knownHosts = join(work, 'known_hosts');
  writeFileSync(knownHosts, lab.hosts.flatMap((h) => h.hostKeys.map((k) => `${h.port === 22 ? h.address : `[${h.address}]:${h.port}`} ${k.publicKey}`)).join('\n') + '\n');
  return knownHosts;
}

/** OpenSSH client options for the lab's hosts by address (host keys checked, batch mode). */
export function sshOptions(lab: TestLab, work: string): string {
  const knownHosts = writeKnownHosts(lab, work);
  return `-F /dev/null -i ${lab.user.privateKeyPath} -l ${lab.user.name} -o IdentitiesOnly=yes -o BatchMode=yes -o UserKnownHostsFile=${knownHosts} -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o LogLevel=ERROR`;
}

/** The same options with the paths left out, for printing. */
export const shownSshOptions = (options: string): string => options.replace(/-i \S+ |-o UserKnownHostsFile=\S+ /g, '');

/** A master connection per host (ControlPersist), so later `ssh -o ControlPath=…` calls reuse it. */
export async function startControlMasters(opts: string, work: string, addresses: readonly string[]): Promise<{ cm: string; stop: () => Promise<void> }> {
  await bash(`for h in ${addresses.join(' ')}; do ssh ${opts} -o ControlMaster=yes -o ControlPath=${work}/cm-%h -o ControlPersist=yes -fN "$h"; done`);
  return {
    cm: `-o ControlMaster=no -o ControlPath=${work}/cm-%h`,
    stop: () => bash(`for h in ${addresses.join(' ')}; do ssh ${opts} -o ControlPath=${work}/cm-%h -O exit "$h" 2>/dev/null; done; true`).then(() => undefined),
  };
}

export interface AnsibleSetup {
  /** ansible.cfg's settings, for printing */
  settings: string;
  /** Runs a playbook file in the work folder; throws unless every host ran `tasksPerHost` ok tasks with no failure. */
  play(book: string, tasksPerHost: number | ((host: string) => number)): Promise<{ clientCpuMs: number; stdout: string }>;
}

/**
 * Ansible configured fairly for speed: forks ≥ hosts, facts not gathered, pipelining, and a
 * persistent master connection per host (warm after the first run), host keys checked.
 */
export function setupAnsible(lab: TestLab, hosts: readonly TestHost[], work: string, options: { forks?: number; strategy?: 'linear' | 'free' } = {}): AnsibleSetup {
  const forks = options.forks ?? hosts.length;
  const knownHosts = writeKnownHosts(lab, work);
  mkdirSync(join(work, 'ansible-cp'), { recursive: true });
  writeFileSync(
    join(work, 'inventory.ini'),
    `[all]\n${hosts.map((h) => `${h.name} ansible_host=${h.address} ansible_port=${h.port}`).join('\n')}\n[all:vars]\nansible_user=${lab.user.name}\n` +
      `ansible_ssh_private_key_file=${lab.user.privateKeyPath}\nansible_ssh_common_args='-F /dev/null -o IdentitiesOnly=yes -o UserKnownHostsFile=${knownHosts} -o GlobalKnownHostsFile=/dev/null'\n` +
      'ansible_python_interpreter=/usr/bin/python3\n',
  );
  const strategy = options.strategy ?? 'linear';
  const cfg =
    `[defaults]\nforks = ${forks}\nhost_key_checking = True\ngathering = explicit\nstdout_callback = default\nretry_files_enabled = False\nstrategy = ${strategy}\n` +
    `[ssh_connection]\npipelining = True\nssh_args = -o ControlMaster=auto -o ControlPersist=60s\ncontrol_path_dir = ${work}/ansible-cp\n`;
  writeFileSync(join(work, 'ansible.cfg'), cfg);
  return {
    settings: `forks=${forks}, gather_facts: false, pipelining=True, ControlPersist=60s (warm after the first run), strategy=${strategy}, host_key_checking=True`,
    play: async (book, tasksPerHost) => {
      const { stdout, childCpuMs } = await bash(`ansible-playbook -i ${work}/inventory.ini ${join(work, book)}`, { ANSIBLE_CONFIG: join(work, 'ansible.cfg') });
      for (const host of hosts) {
        const want = typeof tasksPerHost === 'number' ? tasksPerHost : tasksPerHost(host.name);
        const recap = new RegExp(`^${host.name}\\s*:\\s*ok=(\\d+)\\s.*unreachable=0\\s+failed=0`, 'm').exec(stdout);
        if (recap === null || Number(recap[1]) !== want) throw new Error(`ansible did not run ${want} tasks on ${host.name}:\n${stdout.slice(-3000)}`);
      }
      return { clientCpuMs: childCpuMs, stdout };
    },
  };
}
