// Benchmark (not a test): 20 short commands on each of 10 lab hosts, run by this layer and by
// the tools technicians use today, measured in one run and printed side by side.
//   npx tsx test/bench/ssh.bench.ts [--runs 3] [--only <part of a variant's name>]
// Installs Ansible with apt-get when it is missing. Needs root (the namespaced lab).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type SshConnection } from '../../electron/core/ssh/connection';
import { cleanupExecutions, startCommand } from '../../electron/core/ssh/exec';
import { startTestLab, type TestLab } from '../hosts';

const HOSTS = 10;
const COMMANDS = 20;
const argument = (name: string): string | undefined => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const RUNS = Number(argument('--runs')) || 3;
const ONLY = argument('--only');
const command = (i: number): string => `echo "cmd ${i} $(uname -n)"`;

interface Sample {
  wallMs: number;
  clientCpuMs: number;
  machineCpuMs: number;
}

interface Variant {
  name: string;
  settings: string;
  /** Runs the 200 commands once; returns the client's CPU ms and the output lines. */
  run(): Promise<{ clientCpuMs: number; lines: string[] }>;
  before?: () => Promise<void>;
  after?: () => Promise<void>;
}

/** Busy CPU time of the whole machine (client, sshd, the hosts' processes), in ms. */
function machineCpuMs(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const busy = fields.reduce((a, b) => a + b, 0) - (fields[3] ?? 0) - (fields[4] ?? 0);
  return busy * 10; // USER_HZ is 100 on Linux
}

/** Runs a bash script; `times` at its end gives the CPU its children (ssh, ansible) used. */
function bash(script: string, env: NodeJS.ProcessEnv = {}): Promise<{ stdout: string; childCpuMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `${script}\ntimes >&2`], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      const times = stderr.trim().split('\n').at(-1) ?? '';
      const seconds = [...times.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
      if (code !== 0 || seconds.length !== 2) return reject(new Error(`bash exited ${code}: ${stderr.slice(-2000)}`));
      resolve({ stdout, childCpuMs: (seconds[0]! + seconds[1]!) * 1000 });
    });
  });
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

function ensureAnsible(): string {
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

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const ansibleVersion = ensureAnsible();
  const loadBefore = loadavg().map((l) => l.toFixed(1)).join(' ');
  const names = Array.from({ length: HOSTS }, (_, i) => `bench${String(i + 1).padStart(2, '0')}`);
  const lab: TestLab = await startTestLab({ hosts: names });
  const work = mkdtempSync(join(tmpdir(), 'fieldrun-bench-'));
  const connections: SshConnection[] = [];
  try {
    const hosts = names.map((n) => lab.host(n));
    const key = lab.user.privateKeyPath;
    const knownHosts = join(work, 'known_hosts');
    writeFileSync(knownHosts, hosts.flatMap((h) => h.hostKeys.map((k) => `${h.port === 22 ? h.address : `[${h.address}]:${h.port}`} ${k.publicKey}`)).join('\n') + '\n');
    const sshOpts = `-F /dev/null -i ${key} -l ${lab.user.name} -o IdentitiesOnly=yes -o BatchMode=yes -o UserKnownHostsFile=${knownHosts} -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o LogLevel=ERROR`;
    const addresses = hosts.map((h) => h.address).join(' ');
    const loopBody = (ssh: string): string => `for i in $(seq 1 ${COMMANDS}); do ${ssh} "$h" "echo \\"cmd $i \\$(uname -n)\\""; done`;
    const cm = `-o ControlMaster=no -o ControlPath=${work}/cm-%h`;

    const connectAll = (): Promise<SshConnection[]> =>
      Promise.all(
        hosts.map((h) =>
          connect(
            { name: h.name, address: h.address, port: h.port, user: lab.user.name, pinnedKeys: h.hostKeys.map((k) => ({ type: k.type, fingerprint: k.fingerprint })), tags: [] },
            { credentials: [{ name: 'lab', appliesTo: { all: true }, credentials: [{ kind: 'privateKey', keyPath: key }] }], hostKeys: { decideUnknown: async () => 'reject', known: () => [] } },
          ),
        ),
      );
    let execSeq = 0;
    const wrapped = async (conns: SshConnection[]): Promise<string[]> => {
      const outputs = await Promise.all(
        conns.flatMap((conn) =>
          Array.from({ length: COMMANDS }, async (_, i) => {
            let text = '';
            const result = await startCommand(conn, { execId: `bench.${process.pid}.${(execSeq += 1)}`, command: command(i + 1) }, (c) => {
              text += c.data.toString();
            });
            if (result.kind !== 'exited' || result.code !== 0) throw new Error(`unexpected result ${JSON.stringify(result)}`);
            return text;
          }),
        ),
      );
      return outputs.join('').split('\n').filter(Boolean);
    };
    const plainExec = async (conns: SshConnection[]): Promise<string[]> => {
      const outputs = await Promise.all(
        conns.flatMap((conn) =>
          Array.from({ length: COMMANDS }, async (_, i) => {
            const channel = await conn.exec(command(i + 1));
            let text = '';
            channel.on('data', (d: Buffer) => (text += d.toString()));
            channel.stderr.resume();
            await new Promise((r) => channel.once('close', r));
            return text;
          }),
        ),
      );
      return outputs.join('').split('\n').filter(Boolean);
    };
    const cleanup = async (): Promise<void> => {
      await Promise.all(connections.map((c) => cleanupExecutions(c)));
    };

    const playbook = (module: 'raw' | 'command'): string =>
      `- hosts: all\n  gather_facts: false\n  tasks:\n${Array.from({ length: COMMANDS }, (_, i) => (module === 'raw' ? `    - raw: echo "cmd ${i + 1} $(uname -n)"\n` : `    - command: uname -n\n`)).join('')}`;
    writeFileSync(join(work, 'inventory.ini'), `[all]\n${hosts.map((h) => `${h.name} ansible_host=${h.address} ansible_port=${h.port}`).join('\n')}\n[all:vars]\nansible_user=${lab.user.name}\nansible_ssh_private_key_file=${key}\nansible_ssh_common_args='-F /dev/null -o IdentitiesOnly=yes -o UserKnownHostsFile=${knownHosts} -o GlobalKnownHostsFile=/dev/null'\nansible_python_interpreter=/usr/bin/python3\n`);
    const ansibleCfg = `[defaults]\nforks = ${HOSTS}\nhost_key_checking = True\ngathering = explicit\nstdout_callback = default\nretry_files_enabled = False\n[ssh_connection]\npipelining = True\nssh_args = -o ControlMaster=auto -o ControlPersist=60s\ncontrol_path_dir = ${work}/ansible-cp\n`;
    writeFileSync(join(work, 'ansible.cfg'), ansibleCfg);
    writeFileSync(join(work, 'raw.yml'), playbook('raw'));
    writeFileSync(join(work, 'command.yml'), playbook('command'));
    const ansible = async (book: string): Promise<{ clientCpuMs: number; lines: string[] }> => {
      const { stdout, childCpuMs } = await bash(`ansible-playbook -i ${work}/inventory.ini ${work}/${book}`, { ANSIBLE_CONFIG: join(work, 'ansible.cfg') });
      const recap = stdout.split('\n').filter((l) => /ok=20 .*unreachable=0\s+failed=0/.test(l));
      if (recap.length !== HOSTS) throw new Error(`ansible did not run every task on every host:\n${stdout.slice(-3000)}`);
      return { clientCpuMs: childCpuMs, lines: Array.from({ length: HOSTS * COMMANDS }, () => 'cmd 0 ansible') };
    };
    const viaBash = async (script: string): Promise<{ clientCpuMs: number; lines: string[] }> => {
      const { stdout, childCpuMs } = await bash(script);
      return { clientCpuMs: childCpuMs, lines: stdout.split('\n').filter(Boolean) };
    };

    const variants: Variant[] = [
      {
        name: 'fieldrun: wrapper, warm connections',
        settings: '1 ssh2 connection per host (setNoDelay), 20 commands at once per host (queued beyond MaxSessions 10), hosts in parallel; each command in the setsid wrapper with output files and exit record',
        before: async () => void connections.push(...(await connectAll())),
        run: async () => {
          const since = process.cpuUsage();
          const lines = await wrapped(connections);
          return { clientCpuMs: cpuMs(since), lines };
        },
        after: cleanup,
      },
      {
        name: 'fieldrun: wrapper, connecting included',
        settings: 'as above, plus key exchange and login to all 10 hosts in each run',
        run: async () => {
          const since = process.cpuUsage();
          const conns = await connectAll();
          const lines = await wrapped(conns);
          await Promise.all(conns.map((c) => cleanupExecutions(c)));
          conns.forEach((c) => c.close());
          return { clientCpuMs: cpuMs(since), lines };
        },
      },
      {
        name: 'ssh2 exec channels, no wrapper (warm)',
        settings: 'same connections, plain exec channels: what the wrapper costs',
        run: async () => {
          const since = process.cpuUsage();
          const lines = await plainExec(connections);
          return { clientCpuMs: cpuMs(since), lines };
        },
      },
      { name: 'ssh loop, sequential', settings: `OpenSSH client, one ssh per command, 200 in a row; ${sshOpts.replace(/-i \S+ |-o UserKnownHostsFile=\S+ /g, '')}`, run: () => viaBash(`for h in ${addresses}; do ${loopBody(`ssh ${sshOpts}`)}; done`) },
      { name: 'ssh loop, hosts in parallel', settings: 'one ssh per command, 20 in a row per host, 10 hosts at once', run: () => viaBash(`for h in ${addresses}; do ( ${loopBody(`ssh ${sshOpts}`)} ) & done; wait`) },
      {
        name: 'ssh ControlMaster (warm), hosts in parallel',
        settings: 'a master per host started beforehand (ControlPersist), 20 commands in a row per host over it, 10 hosts at once',
        before: () => bash(`for h in ${addresses}; do ssh ${sshOpts} -o ControlMaster=yes -o ControlPath=${work}/cm-%h -o ControlPersist=yes -fN "$h"; done`).then(() => undefined),
        run: () => viaBash(`for h in ${addresses}; do ( ${loopBody(`ssh ${sshOpts} ${cm}`)} ) & done; wait`),
      },
      {
        name: 'ssh ControlMaster (warm), all parallel',
        settings: 'the same masters, 10 commands at once per host (MaxSessions), twice, 10 hosts at once',
        run: () => viaBash(`for h in ${addresses}; do for w in 0 10; do for i in $(seq $((w + 1)) $((w + 10))); do ssh ${sshOpts} ${cm} "$h" "echo \\"cmd $i \\$(uname -n)\\"" & done; wait; done & done; wait`),
        after: () => bash(`for h in ${addresses}; do ssh ${sshOpts} -o ControlPath=${work}/cm-%h -O exit "$h" 2>/dev/null; done; true`).then(() => undefined),
      },
      { name: 'ansible-playbook, raw module', settings: `forks=${HOSTS}, gather_facts: false, pipelining=True, ControlPersist=60s (warm after the first run), linear strategy, 20 raw tasks`, run: () => ansible('raw.yml') },
      { name: 'ansible-playbook, command module', settings: 'as above with 20 command tasks (Python module on the host)', run: () => ansible('command.yml') },
    ];

    const rows: Array<{ variant: Variant; samples: Sample[]; failure?: string }> = [];
    for (const variant of variants.filter((v, i) => ONLY === undefined || i === 0 || v.name.includes(ONLY))) {
      const samples: Sample[] = [];
      try {
        await variant.before?.();
        for (let r = 0; r < RUNS; r++) {
          const cpu0 = machineCpuMs();
          const t0 = performance.now();
          const { clientCpuMs, lines } = await variant.run();
          const wallMs = performance.now() - t0;
          const machine = machineCpuMs() - cpu0;
          if (lines.length !== HOSTS * COMMANDS || !lines.every((l) => /^cmd \d+ \S+$/.test(l))) throw new Error(`expected ${HOSTS * COMMANDS} output lines, got ${lines.length}`);
          samples.push({ wallMs, clientCpuMs, machineCpuMs: machine });
          if (variant.name.startsWith('fieldrun: wrapper, warm')) await cleanup();
        }
        await variant.after?.();
        rows.push({ variant, samples });
        console.log(`${variant.name}: ${samples.map((s) => `${(s.wallMs / 1000).toFixed(2)} s`).join(', ')}`);
      } catch (error) {
        // A variant that fails is a result too: say so and measure the others.
        const failure = error instanceof Error ? error.message : String(error);
        rows.push({ variant, samples, failure });
        console.log(`${variant.name}: FAILED after ${samples.length} runs: ${failure}`);
        await variant.after?.().catch(() => undefined);
      }
    }

    const first = rows.find((r) => r.failure === undefined && r.samples.length > 0);
    const base = first === undefined ? NaN : median(first.samples.map((s) => s.wallMs));
    console.log(`\n${HOSTS} hosts x ${COMMANDS} short commands (${command(1)}), median of ${RUNS} runs, one run of this script`);
    console.log(`${'variant'.padEnd(46)} ${'wall s'.padStart(8)} ${'x fieldrun'.padStart(10)} ${'client CPU s'.padStart(12)} ${'machine CPU s'.padStart(13)}`);
    for (const { variant, samples, failure } of rows) {
      if (failure !== undefined || samples.length === 0) {
        console.log(`${variant.name.padEnd(46)} FAILED: ${failure ?? 'no run'}`);
        continue;
      }
      const wall = median(samples.map((s) => s.wallMs));
      console.log(
        `${variant.name.padEnd(46)} ${(wall / 1000).toFixed(2).padStart(8)} ${(wall / base).toFixed(1).padStart(10)} ${(median(samples.map((s) => s.clientCpuMs)) / 1000).toFixed(2).padStart(12)} ${(median(samples.map((s) => s.machineCpuMs)) / 1000).toFixed(2).padStart(13)}`,
      );
    }
    console.log('\nSettings:');
    for (const { variant } of rows) console.log(`- ${variant.name}: ${variant.settings}`);
    const sshVersion = spawnSync('ssh', ['-V']).stderr.toString().trim();
    const ssh2Version = (JSON.parse(readFileSync(new URL('../../node_modules/ssh2/package.json', import.meta.url), 'utf8')) as { version: string }).version;
    console.log(`\nPeers: ${sshVersion}; sshd ${sshVersion.split(',')[0]} (same package set); ${ansibleVersion}; Node ${process.version}; ssh2 ${ssh2Version}; lab mode ${lab.mode}; ${spawnSync('nproc').stdout.toString().trim()} cores`);
    console.log(`Load average before / after: ${loadBefore} / ${loadavg().map((l) => l.toFixed(1)).join(' ')} (other work on the machine skews wall and machine CPU alike)`);
    console.log('Client CPU: this process for fieldrun rows, the ssh/ansible processes for the others. Machine CPU: all busy CPU on the machine (client, sshd, host processes) from /proc/stat.');
  } finally {
    for (const c of connections) c.close();
    await lab.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
