// Benchmark (not a test): the baseline of 20 typed checks on each of 10 lab hosts, run by
// Fieldrun's real runner (a generated plan imported by the importer, driven through dispatch),
// beside Ansible doing the same checks and the OpenSSH client running the same check scripts.
//   npx tsx test/bench/baseline.bench.ts [--runs 3] [--only <part of a variant's name>]
// Installs Ansible with apt-get when it is missing. Needs root (the namespaced lab).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../electron/core/core';
import { compileCheck } from '../../electron/core/checks';
import { startTestLab, type TestLab } from '../hosts';
import { acknowledgeAllFlags, call, stateOf } from '../core/runner/runLab';
import { ansibleBaselinePlaybook, ansibleRawPlaybook, baselineChecks, HTTP_PORT, writeBenchPlan } from './benchPlans';
import { bash, ensureAnsible, labCredentials, peerVersions, setupAnsible, shownSshOptions, sshOptions, startControlMasters } from './peers';
import { loadText, markdownTable, num, sectionHead, spreadOf, textTable, writeResultsSection } from './results';
import { measureVariants, settingsList, variantTable, type Variant } from './variants';

const HOSTS = 10;
const argument = (name: string): string | undefined => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const RUNS = Number(argument('--runs')) || 3;
const ONLY = argument('--only');

interface BaselineRun {
  core: Core;
  planHash: string;
  runId: string;
  seq: number;
}

/** A fresh run at its baseline phase: created, checklist ticked, flags acknowledged. */
async function freshRun(core: Core, planHash: string): Promise<BaselineRun> {
  const { runId } = await call(core, 'runs.create', { planHash, label: 'baseline bench' });
  await call(core, 'runs.checklist.tick', { runId, expectSeq: 1, itemId: 'ready' });
  return { core, planHash, runId, seq: await acknowledgeAllFlags(core, runId) };
}

const statusCounts = new Map<string, string>();

/** Runs the whole baseline once and waits for every result; refuses a pass that lost a cell. */
async function runBaseline(run: BaselineRun, cells: number, label: string): Promise<void> {
  await call(run.core, 'runs.baseline.run', { runId: run.runId, expectSeq: run.seq });
  await run.core.runner.idle(run.runId);
  const { state, seq } = await stateOf(run.core, run.runId);
  run.seq = seq;
  const results = Object.values(state.baseline);
  const counts: Record<string, number> = {};
  for (const cell of results) counts[cell.status] = (counts[cell.status] ?? 0) + 1;
  if (results.length !== cells || (counts['running'] ?? 0) > 0) throw new Error(`expected ${cells} results, got ${JSON.stringify(counts)}`);
  statusCounts.set(label, Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', '));
}

async function main(): Promise<void> {
  const ansibleVersion = ensureAnsible();
  const loadBefore = loadText();
  const names = Array.from({ length: HOSTS }, (_, i) => `base${String(i + 1).padStart(2, '0')}`);
  const lab: TestLab = await startTestLab({ hosts: names });
  const work = mkdtempSync(join(tmpdir(), 'fieldrun-bench-baseline-'));
  const cores: Core[] = [];
  try {
    const hosts = names.map((n) => lab.host(n));
    const checks = baselineChecks();
    const cells = checks.length * HOSTS;
    const sshOpts = sshOptions(lab, work);
    const addresses = hosts.map((h) => h.address);
    // Each host serves its home folder over HTTP on loopback, for the http checks.
    await bash(`for h in ${addresses.join(' ')}; do ssh ${sshOpts} "$h" 'cd ~; setsid nohup /usr/bin/python3 -m http.server ${HTTP_PORT} --bind 127.0.0.1 >/dev/null 2>&1 < /dev/null & sleep 0.3'; done`);

    const planDir = writeBenchPlan(lab, names, { title: 'Baseline bench', baseline: checks, steps: [{ id: 'noop', title: 'Nothing', hosts: [names[0]], run: 'true' }] });
    const makeCore = (checksPerHost?: number): Core => {
      const core = createCore({
        dataDir: mkdtempSync(join(work, 'data-')),
        runner: { credentials: labCredentials(lab), checkTimeoutMs: 30_000, ...(checksPerHost === undefined ? {} : { checksPerHost }) },
      });
      cores.push(core);
      return core;
    };
    const importPlan = async (core: Core): Promise<string> =>
      (await call(core, 'plans.import', { source: { kind: 'path', path: planDir }, acknowledgeUntrusted: { note: 'benchmark plan' } })).plan.hash;

    // The peers run exactly the scripts Fieldrun sends (compiled from the same typed checks), fed to sh on stdin.
    const scripts = join(work, 'scripts');
    mkdirSync(scripts);
    checks.forEach((check, i) => writeFileSync(join(scripts, `${i}.sh`), compileCheck(check, {}).command));
    const scriptList = checks.map((_, i) => i).join(' ');
    const oneCheck = (ssh: string): string => `${ssh} "$h" /bin/sh -s < ${scripts}/$i.sh > /dev/null || true`;
    const loop = (ssh: string): string => `for i in ${scriptList}; do ${oneCheck(ssh)}; done`;
    let masters: Awaited<ReturnType<typeof startControlMasters>> | undefined;
    const cm = `-o ControlMaster=no -o ControlPath=${work}/cm-%h`;
    const viaBash = async (script: string): Promise<{ clientCpuMs: number }> => ({ clientCpuMs: (await bash(script)).childCpuMs });

    const ansible = setupAnsible(lab, hosts, work);
    writeFileSync(join(work, 'modules.yml'), ansibleBaselinePlaybook());
    writeFileSync(join(work, 'raw.yml'), ansibleRawPlaybook(checks.map((check) => ({ name: check.id, script: compileCheck(check, {}).command }))));

    let cold: { core: Core; planHash: string; next?: BaselineRun } | undefined;
    let warm: BaselineRun | undefined;
    let wide: BaselineRun | undefined;
    const variants: Variant[] = [
      {
        name: 'fieldrun: baseline, warm connections',
        settings: `runs.baseline.run again on the same run (its connections open): ${cells} typed checks, 1 ssh2 connection per host, 4 checks at once per host (the default), hosts in parallel, every result journaled`,
        before: async () => {
          const core = makeCore();
          warm = await freshRun(core, await importPlan(core));
          await runBaseline(warm, cells, 'warm-up');
        },
        run: () => runBaseline(warm!, cells, 'fieldrun warm'),
      },
      {
        name: 'fieldrun: baseline, connecting included',
        settings: 'a new run each time: key exchange, host key check and login to 10 hosts, host clock read, then the checks',
        before: async () => {
          const core = makeCore();
          cold = { core, planHash: await importPlan(core) };
          cold.next = await freshRun(core, cold.planHash);
        },
        run: () => runBaseline(cold!.next!, cells, 'fieldrun cold'),
        between: async () => void (cold!.next = await freshRun(cold!.core, cold!.planHash)),
      },
      {
        name: 'fieldrun: 10 checks at once per host, warm',
        settings: 'runner option checksPerHost 10 (the sshd default MaxSessions), otherwise as the first row',
        before: async () => {
          const core = makeCore(10);
          wide = await freshRun(core, await importPlan(core));
          await runBaseline(wide, cells, 'warm-up');
        },
        run: () => runBaseline(wide!, cells, 'fieldrun 10 per host'),
      },
      { name: 'ssh loop, sequential', runs: 2, settings: `OpenSSH client, one ssh per check running the same compiled script on stdin, 200 in a row (2 runs at most: it takes a minute); ${shownSshOptions(sshOpts)}`, run: () => viaBash(`for h in ${addresses.join(' ')}; do ${loop(`ssh ${sshOpts}`)}; done`) },
      { name: 'ssh loop, hosts in parallel', runs: 2, settings: 'one ssh per check, 20 in a row per host, 10 hosts at once (2 runs at most)', run: () => viaBash(`for h in ${addresses.join(' ')}; do ( ${loop(`ssh ${sshOpts}`)} ) & done; wait`) },
      {
        name: 'ssh ControlMaster (warm), hosts in parallel',
        settings: 'a master per host started beforehand (ControlPersist), 20 checks in a row per host over it, 10 hosts at once',
        before: async () => void (masters = await startControlMasters(sshOpts, work, addresses)),
        run: () => viaBash(`for h in ${addresses.join(' ')}; do ( ${loop(`ssh ${sshOpts} ${cm}`)} ) & done; wait`),
      },
      {
        name: 'ssh ControlMaster (warm), 4 at once per host',
        settings: 'the same masters, 4 checks at once per host (as Fieldrun by default), 10 hosts at once',
        run: () => viaBash(`for h in ${addresses.join(' ')}; do ( for w in 0 4 8 12 16; do for i in $(seq $w $((w + 3))); do ${oneCheck(`ssh ${sshOpts} ${cm}`)} & done; wait; done ) & done; wait`),
      },
      {
        name: 'ssh ControlMaster (warm), 10 at once per host',
        settings: 'the same masters, 10 checks at once per host (MaxSessions), twice, 10 hosts at once',
        run: () => viaBash(`for h in ${addresses.join(' ')}; do ( for w in 0 10; do for i in $(seq $w $((w + 9))); do ${oneCheck(`ssh ${sshOpts} ${cm}`)} & done; wait; done ) & done; wait`),
        after: async () => masters?.stop(),
      },
      { name: 'ansible-playbook, modules', settings: `${ansible.settings}; one task per check with stat, wait_for, uri, command/shell + failed_when (playbook in benchPlans.ts)`, run: () => ansible.play('modules.yml', checks.length) },
      { name: 'ansible-playbook, raw + same scripts', settings: 'as above, each task the raw module running the compiled check script (no Python on the host, no judging)', run: () => ansible.play('raw.yml', checks.length) },
    ];

    const measured = await measureVariants(
      variants.filter((v, i) => ONLY === undefined || i === 0 || v.name.includes(ONLY)),
      RUNS,
    );
    const table = variantTable(measured);
    const what = `${HOSTS} hosts × ${checks.length} typed checks (${[...new Set(checks.map((c) => c.type))].join(', ')}), median of ${RUNS} runs; lab mode ${lab.mode}.`;
    const verdicts = `Fieldrun's verdicts per pass: ${[...statusCounts].filter(([k]) => k !== 'warm-up').map(([k, v]) => `${k}: ${v}`).join('; ')} (service checks are errors: no systemd on the lab hosts).`;
    const wall = (prefix: string): number => Math.min(...measured.filter((m) => m.variant.name.startsWith(prefix) && m.samples.length > 0).map((m) => spreadOf(m.samples.map((s) => s.wallMs)).median));
    const fieldrunWall = spreadOf(measured[0]?.samples.map((s) => s.wallMs) ?? []).median;
    const overAnsible = wall('ansible-playbook, modules') / fieldrunWall;
    const overMaster = wall('ssh ControlMaster') / fieldrunWall;
    const target = `Targets: ≥ 20× faster than fair Ansible, and no slower than ssh with ControlMaster. Measured (warm Fieldrun): ${num(overAnsible)}× faster than Ansible with modules (${overAnsible >= 20 ? 'met' : 'MISSED'}), ${num(wall('ansible-playbook, raw') / fieldrunWall)}× faster than Ansible raw with the same scripts; the fastest ControlMaster variant takes ${num(overMaster)}× Fieldrun's time (${overMaster >= 1 ? 'met' : 'MISSED'}).`;
    const peers = `Peers: ${peerVersions(ansibleVersion)}.`;
    const notes =
      'Client CPU: this process for Fieldrun rows (runner, journal, SQLite included), the ssh/ansible processes for the others. Machine CPU: all busy CPU on the machine (client, sshd, host processes) from /proc/stat.';
    console.log(`\n${what}\n${textTable(table)}\n\n${target}\n${verdicts}\n\nSettings:\n${settingsList(measured)}\n\n${peers}\nLoad average before / after: ${loadBefore} / ${loadText()}\n${notes}`);
    writeResultsSection('baseline', `${sectionHead('Baseline: 20 typed checks × 10 hosts', loadBefore, what)}\n\n${markdownTable(table)}\n\n${target}\n\n${verdicts}\n\nSettings:\n\n${settingsList(measured)}\n\n${peers}\n\n${notes}`);
  } finally {
    for (const core of cores) core.close();
    await lab.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
