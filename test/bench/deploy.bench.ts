// Benchmark (not a test): a generated 100-step deployment across 5 lab hosts with a dependency
// graph (10 layers of 10 steps; each step needs two steps of the layer before, on other hosts),
// run by Fieldrun's real runner through dispatch, beside Ansible running the same commands.
//   npx tsx test/bench/deploy.bench.ts [--runs 3]
// Ansible has no step graph: a playbook runs its tasks in order, each on every host before the
// next (linear strategy). The fair equivalent is one task per (layer, slot): in each layer every
// host runs its own two steps (their commands come from host_vars), so every `needs` is met by
// the layer barrier, and the five hosts work in parallel as they do in Fieldrun.
// Installs Ansible with apt-get when it is missing. Needs root (the namespaced lab).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createCore, type Core } from '../../electron/core/core';
import { startTestLab, type TestLab } from '../hosts';
import { baselinedRun, call, stateOf } from '../core/runner/runLab';
import { loginCheck, writeBenchPlan } from './benchPlans';
import { ensureAnsible, labCredentials, peerVersions, setupAnsible } from './peers';
import { loadText, markdownTable, sectionHead, textTable, writeResultsSection } from './results';
import { measureVariants, settingsList, variantTable, type Variant } from './variants';

const HOSTS = ['dep1', 'dep2', 'dep3', 'dep4', 'dep5'];
const LAYERS = 10;
const PER_LAYER = 10;
const argument = (name: string): string | undefined => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const RUNS = Number(argument('--runs')) || 3;

interface GeneratedStep {
  id: string;
  host: string;
  needs: string[];
  run: string;
}

/** Step j of layer l runs on host j mod 5 and needs steps j and j+1 of the layer before (on two other hosts). */
function generateSteps(): GeneratedStep[] {
  const id = (layer: number, j: number): string => `l${String(layer).padStart(2, '0')}-s${String(j).padStart(2, '0')}`;
  const steps: GeneratedStep[] = [];
  for (let layer = 0; layer < LAYERS; layer++) {
    for (let j = 0; j < PER_LAYER; j++) {
      steps.push({
        id: id(layer, j),
        host: HOSTS[j % HOSTS.length]!,
        needs: layer === 0 ? [] : [id(layer - 1, j), id(layer - 1, (j + 1) % PER_LAYER)],
        run: `mkdir -p "$HOME/deploy" && echo "${id(layer, j)} $(uname -n)" >> "$HOME/deploy/log" && echo "${id(layer, j)} done"`,
      });
    }
  }
  return steps;
}

async function main(): Promise<void> {
  const ansibleVersion = ensureAnsible();
  const loadBefore = loadText();
  const lab: TestLab = await startTestLab({ hosts: HOSTS });
  const work = mkdtempSync(join(tmpdir(), 'fieldrun-bench-deploy-'));
  const cores: Core[] = [];
  try {
    const steps = generateSteps();
    const planDir = writeBenchPlan(lab, HOSTS, {
      title: 'Deploy bench',
      baseline: [loginCheck()],
      steps: steps.map((s) => ({ id: s.id, title: `Step ${s.id}`, hosts: [s.host], ...(s.needs.length === 0 ? {} : { needs: s.needs }), run: s.run })),
    });
    const fieldrun = (maxParallelSteps?: number): Variant => {
      let core: Core | undefined;
      let next: { runId: string; seq: number } | undefined;
      return {
        name: maxParallelSteps === undefined ? 'fieldrun: deployment (8 steps at once, the default)' : `fieldrun: deployment, ${maxParallelSteps} steps at once`,
        settings:
          maxParallelSteps === undefined
            ? 'runs.deploy.start through dispatch on an imported plan; steps start as soon as their needs succeeded, at most 8 at once (the default); each in the setsid wrapper with durable output and exit record, every state change journaled; connections already open from the baseline; timed until every step succeeded'
            : `as above with the runner option maxParallelSteps ${maxParallelSteps}`,
        before: async () => {
          core = createCore({ dataDir: mkdtempSync(join(work, 'data-')), runner: { credentials: labCredentials(lab), checkTimeoutMs: 30_000, ...(maxParallelSteps === undefined ? {} : { maxParallelSteps }) } });
          cores.push(core);
          next = await baselinedRun(core, planDir);
        },
        run: async () => {
          const { runId, seq } = next!;
          await call(core!, 'runs.deploy.start', { runId, expectSeq: seq });
          await core!.runner.idle(runId);
          const { state } = await stateOf(core!, runId);
          const instances = Object.values(state.instances);
          const succeeded = instances.filter((i) => i.state === 'succeeded').length;
          if (succeeded !== steps.length) throw new Error(`${succeeded} of ${steps.length} steps succeeded; the run is at ${state.phase}, questions ${state.questions.map((q) => q.kind).join(', ')}`);
        },
        between: async () => void (next = await baselinedRun(core!, planDir)),
      };
    };

    // The playbook: in each layer, one task per slot; every host runs its own step of that slot.
    const ansible = setupAnsible(lab, lab.hosts, work);
    mkdirSync(join(work, 'host_vars'));
    const slots = PER_LAYER / HOSTS.length;
    for (const host of HOSTS) {
      const mine = steps.filter((s) => s.host === host);
      writeFileSync(join(work, 'host_vars', `${host}.yml`), stringify({ step_cmds: mine.map((s) => s.run) }));
    }
    const tasks = (module: 'shell' | 'raw'): Array<Record<string, unknown>> =>
      Array.from({ length: LAYERS * slots }, (_, k) => ({ name: `layer ${Math.floor(k / slots)} slot ${k % slots}`, [module]: `{{ step_cmds[${k}] }}`, changed_when: false }));
    writeFileSync(join(work, 'shell.yml'), stringify([{ hosts: 'all', gather_facts: false, tasks: tasks('shell') }]));
    writeFileSync(join(work, 'raw.yml'), stringify([{ hosts: 'all', gather_facts: false, tasks: tasks('raw') }]));

    const variants: Variant[] = [
      fieldrun(),
      fieldrun(10),
      { name: 'ansible-playbook, shell module, layered', settings: `${ansible.settings}; ${LAYERS * slots} shell tasks (a layer's steps of each host, from host_vars), the layers in order`, run: () => ansible.play('shell.yml', LAYERS * slots) },
      { name: 'ansible-playbook, raw module, layered', settings: 'as above with the raw module (no Python on the host)', run: () => ansible.play('raw.yml', LAYERS * slots) },
    ];
    const measured = await measureVariants(variants, RUNS);
    const table = variantTable(measured);
    const what = `${steps.length} steps on ${HOSTS.length} lab hosts: ${LAYERS} layers of ${PER_LAYER}, each step on one host needing two steps of the layer before on other hosts; each step appends a line to a file. Median of ${RUNS} runs; lab mode ${lab.mode}.`;
    const peers = `Peers: ${peerVersions(ansibleVersion)}.`;
    const notes = 'How the work is made equal: Ansible runs the same shell commands; its layer barrier is stricter than the graph (a step may wait for steps it does not need), which is how a playbook has to express it.';
    console.log(`\n${what}\n${textTable(table)}\n\nSettings:\n${settingsList(measured)}\n\n${peers}\n${notes}\nLoad average before / after: ${loadBefore} / ${loadText()}`);
    writeResultsSection('deploy', `${sectionHead(`Deployment: ${steps.length} steps, ${HOSTS.length} hosts, a dependency graph`, loadBefore, what)}\n\n${markdownTable(table)}\n\nSettings:\n\n${settingsList(measured)}\n\n${peers}\n\n${notes}`);
  } finally {
    for (const core of cores) core.close();
    await lab.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
