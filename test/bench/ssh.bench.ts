// Benchmark (not a test): 20 short commands on each of 10 lab hosts, run by this layer and by
// the tools technicians use today, measured in one run and printed side by side.
//   npx tsx test/bench/ssh.bench.ts [--runs 3] [--only <part of a variant's name>]
// Installs Ansible with apt-get when it is missing. Needs root (the namespaced lab).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type SshConnection } from '../../electron/core/ssh/connection';
import { cleanupExecutions, startCommand } from '../../electron/core/ssh/exec';
import { startTestLab, type TestLab } from '../hosts';
import { bash, ensureAnsible, labCredentials, peerVersions, setupAnsible, shownSshOptions, sshOptions, startControlMasters } from './peers';
import { loadText, markdownTable, sectionHead, textTable, writeResultsSection } from './results';
import { measureVariants, settingsList, variantTable, type Variant } from './variants';

const HOSTS = 10;
const COMMANDS = 20;
const argument = (name: string): string | undefined => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const RUNS = Number(argument('--runs')) || 3;
const ONLY = argument('--only');
const command = (i: number): string => `echo "cmd ${i} $(uname -n)"`;

async function main(): Promise<void> {
  const ansibleVersion = ensureAnsible();
  const loadBefore = loadText();
  const names = Array.from({ length: HOSTS }, (_, i) => `bench${String(i + 1).padStart(2, '0')}`);
  const lab: TestLab = await startTestLab({ hosts: names });
  const work = mkdtempSync(join(tmpdir(), 'fieldrun-bench-'));
  const connections: SshConnection[] = [];
  try {
    const hosts = names.map((n) => lab.host(n));
    const sshOpts = sshOptions(lab, work);
    const addresses = hosts.map((h) => h.address).join(' ');
    const loopBody = (ssh: string): string => `for i in $(seq 1 ${COMMANDS}); do ${ssh} "$h" "echo \\"cmd $i \\$(uname -n)\\""; done`;
    let masters: Awaited<ReturnType<typeof startControlMasters>> | undefined;
    const cm = `-o ControlMaster=no -o ControlPath=${work}/cm-%h`;

    const connectAll = (): Promise<SshConnection[]> =>
      Promise.all(
        hosts.map((h) =>
          connect(
            { name: h.name, address: h.address, port: h.port, user: lab.user.name, pinnedKeys: h.hostKeys.map((k) => ({ type: k.type, fingerprint: k.fingerprint })), tags: [] },
            { credentials: labCredentials(lab), hostKeys: { decideUnknown: async () => 'reject', known: () => [] } },
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
    const ansibleSetup = setupAnsible(lab, hosts, work);
    writeFileSync(join(work, 'raw.yml'), playbook('raw'));
    writeFileSync(join(work, 'command.yml'), playbook('command'));
    const ansible = async (book: string): Promise<{ clientCpuMs: number }> => ({ clientCpuMs: (await ansibleSetup.play(book, COMMANDS)).clientCpuMs });
    const checkLines = (lines: string[]): void => {
      if (lines.length !== HOSTS * COMMANDS || !lines.every((l) => /^cmd \d+ \S+$/.test(l))) throw new Error(`expected ${HOSTS * COMMANDS} output lines, got ${lines.length}`);
    };
    const viaBash = async (script: string): Promise<{ clientCpuMs: number }> => {
      const { stdout, childCpuMs } = await bash(script);
      checkLines(stdout.split('\n').filter(Boolean));
      return { clientCpuMs: childCpuMs };
    };

    const variants: Variant[] = [
      {
        name: 'fieldrun: wrapper, warm connections',
        settings: '1 ssh2 connection per host (setNoDelay), 20 commands at once per host (queued beyond MaxSessions 10), hosts in parallel; each command in the setsid wrapper with output files and exit record',
        before: async () => void connections.push(...(await connectAll())),
        run: async () => checkLines(await wrapped(connections)),
        between: cleanup,
      },
      {
        name: 'fieldrun: wrapper, connecting included',
        settings: 'as above, plus key exchange and login to all 10 hosts in each run',
        run: async () => {
          const conns = await connectAll();
          const lines = await wrapped(conns);
          await Promise.all(conns.map((c) => cleanupExecutions(c)));
          conns.forEach((c) => c.close());
          checkLines(lines);
        },
      },
      {
        name: 'ssh2 exec channels, no wrapper (warm)',
        settings: 'same connections, plain exec channels: what the wrapper costs',
        run: async () => checkLines(await plainExec(connections)),
      },
      { name: 'ssh loop, sequential', runs: 2, settings: `OpenSSH client, one ssh per command, 200 in a row (2 runs at most: it takes a minute); ${shownSshOptions(sshOpts)}`, run: () => viaBash(`for h in ${addresses}; do ${loopBody(`ssh ${sshOpts}`)}; done`) },
      { name: 'ssh loop, hosts in parallel', settings: 'one ssh per command, 20 in a row per host, 10 hosts at once', run: () => viaBash(`for h in ${addresses}; do ( ${loopBody(`ssh ${sshOpts}`)} ) & done; wait`) },
      {
        name: 'ssh ControlMaster (warm), hosts in parallel',
        settings: 'a master per host started beforehand (ControlPersist), 20 commands in a row per host over it, 10 hosts at once',
        before: async () => void (masters = await startControlMasters(sshOpts, work, hosts.map((h) => h.address))),
        run: () => viaBash(`for h in ${addresses}; do ( ${loopBody(`ssh ${sshOpts} ${cm}`)} ) & done; wait`),
      },
      {
        name: 'ssh ControlMaster (warm), all parallel',
        settings: 'the same masters, 10 commands at once per host (MaxSessions), twice, 10 hosts at once',
        run: () => viaBash(`for h in ${addresses}; do for w in 0 10; do for i in $(seq $((w + 1)) $((w + 10))); do ssh ${sshOpts} ${cm} "$h" "echo \\"cmd $i \\$(uname -n)\\"" & done; wait; done & done; wait`),
        after: async () => masters?.stop(),
      },
      { name: 'ansible-playbook, raw module', settings: `${ansibleSetup.settings}, 20 raw tasks`, run: () => ansible('raw.yml') },
      { name: 'ansible-playbook, command module', settings: 'as above with 20 command tasks (Python module on the host)', run: () => ansible('command.yml') },
    ];

    const measured = await measureVariants(
      variants.filter((v, i) => ONLY === undefined || i === 0 || v.name.includes(ONLY)),
      RUNS,
    );
    const table = variantTable(measured);
    const what = `${HOSTS} hosts × ${COMMANDS} short commands (\`${command(1)}\`), median of ${RUNS} runs; lab mode ${lab.mode}.`;
    const peers = `Peers: ${peerVersions(ansibleVersion)}.`;
    const notes =
      'Client CPU: this process for Fieldrun rows, the ssh/ansible processes for the others. Machine CPU: all busy CPU on the machine (client, sshd, host processes) from /proc/stat; other work on the machine skews wall and machine CPU alike.';
    console.log(`\n${what}\n${textTable(table)}\n\nSettings:\n${settingsList(measured)}\n\n${peers}\nLoad average before / after: ${loadBefore} / ${loadText()}\n${notes}`);
    writeResultsSection('ssh', `${sectionHead('SSH layer: short commands', loadBefore, what)}\n\n${markdownTable(table)}\n\nSettings:\n\n${settingsList(measured)}\n\n${peers}\n\n${notes}`);
  } finally {
    for (const c of connections) c.close();
    await lab.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
