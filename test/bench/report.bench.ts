// Benchmark (not a test): export and sign the report of a real run of 500 steps with 200 MiB of
// output (run on a lab host through dispatch), beside `tar cf - <bundle> | sha256sum` of the same
// bytes, and verification of the bundle beside stock tools doing the same work.
//   npx tsx test/bench/report.bench.ts [--runs 3] [--steps 500] [--mib 200]
// Needs root (the namespaced lab).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../electron/core/core';
import { verifyBundle } from '../../electron/core/report';
import { startTestLab, type TestLab } from '../hosts';
import { baselinedRun, call, stateOf } from '../core/runner/runLab';
import { makeIdentity } from '../core/report/bundleFixture';
import { loginCheck, writeBenchPlan } from './benchPlans';
import { bash, labCredentials, timed, type Timed } from './peers';
import { loadText, markdownTable, medianText, num, ratioText, sectionHead, spreadOf, spreadText, textTable, writeResultsSection, type Table } from './results';
import { flatness, sampleRss, type RssProfile } from './rssSampler';
import { oneLine } from './variants';

const argument = (name: string): string | undefined => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const RUNS = Number(argument('--runs')) || 3;
const STEPS = Number(argument('--steps')) || 500;
const MIB = Number(argument('--mib')) || 200;
const HOSTS = ['report1', 'report2', 'report3', 'report4', 'report5'];

interface Row {
  name: string;
  settings: string;
  samples: Timed[];
  failure?: string;
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(path) : statSync(path).size;
  }
  return total;
}

async function main(): Promise<void> {
  const loadBefore = loadText();
  const lab: TestLab = await startTestLab({ hosts: HOSTS });
  const work = mkdtempSync(join(tmpdir(), 'fieldrun-bench-report-'));
  let core: Core | undefined;
  try {
    const identity = await makeIdentity(work);
    const perStep = Math.floor((MIB * 1024 * 1024) / STEPS);
    // Lines of 100 characters, different per step, so the report's excerpts are real text.
    const steps = Array.from({ length: STEPS }, (_, i) => ({
      id: `step-${String(i + 1).padStart(3, '0')}`,
      title: `Step ${i + 1}`,
      hosts: [HOSTS[i % HOSTS.length]],
      ...(i >= HOSTS.length ? { needs: [`step-${String(i + 1 - HOSTS.length).padStart(3, '0')}`] } : {}),
      run: `yes "step ${i + 1} restored row $(head -c 60 /dev/urandom | base64 -w0 | head -c 70)" | head -c ${perStep}`,
    }));
    const planDir = writeBenchPlan(lab, HOSTS, { title: 'Report bench', baseline: [loginCheck()], steps });
    core = createCore({ dataDir: join(work, 'data'), runner: { credentials: labCredentials(lab), checkTimeoutMs: 30_000 }, signing: { identity } });
    const { runId, seq } = await baselinedRun(core, planDir);
    const built = performance.now();
    await call(core, 'runs.deploy.start', { runId, expectSeq: seq });
    await core.runner.idle(runId);
    const { state } = await stateOf(core, runId);
    const instances = Object.values(state.instances);
    const outputBytes = instances.reduce((sum, i) => sum + (i.output?.stdout.length ?? 0) + (i.output?.stderr.length ?? 0), 0);
    if (instances.length !== STEPS || !instances.every((i) => i.state === 'succeeded')) throw new Error(`the run did not succeed: ${instances.filter((i) => i.state !== 'succeeded').length} of ${instances.length} steps not succeeded`);
    console.log(`run built: ${STEPS} steps, ${(outputBytes / 2 ** 20).toFixed(0)} MiB output in ${((performance.now() - built) / 1000).toFixed(1)} s`);

    const rows: Row[] = [];
    const rss: RssProfile[] = [];
    let bundleBytes = 0;
    let bundleFiles = 0;
    const allowed = join(work, 'allowed_signers');
    writeFileSync(allowed, `${identity.allowedSignersLine()}\n`);
    /** `prepare` runs before each sample and `between` after it, neither timed. */
    const measure = async (name: string, settings: string, once: () => Promise<unknown>, between: () => void = () => undefined, prepare: () => void = () => undefined): Promise<void> => {
      const row: Row = { name, settings, samples: [] };
      rows.push(row);
      try {
        for (let r = 0; r < RUNS; r++) {
          prepare();
          // Every sample starts from a settled disk: nothing the last one wrote is still being written back.
          execFileSync('sync');
          row.samples.push(await timed(once));
          between();
          console.log(`${name}: ${(row.samples.at(-1)!.wallMs / 1000).toFixed(2)} s`);
        }
      } catch (error) {
        row.failure = error instanceof Error ? error.message : String(error);
        console.log(`${name}: FAILED: ${row.failure}`);
      }
    };

    // Each export goes to a fresh folder; the last one stays for the peers and the verifications.
    let bundle = { dir: '', archive: '', out: '' };
    let sampler: ReturnType<typeof sampleRss> | undefined;
    await measure(
      'fieldrun: export + sign (reports.export)',
      'through dispatch: report model and HTML from the journal, journal.jsonl with every output read back from SQLite, baseline JUnit, manifest with every SHA-256, Ed25519 SSH signature, the .tar archive beside the folder, the export event journaled and the outbox entry queued',
      async () => {
        const out = mkdtempSync(join(work, 'out-'));
        sampler = sampleRss(20);
        const exported = await call(core!, 'reports.export', { runId, outDir: out });
        bundle = { dir: exported.bundleDir, archive: exported.archivePath, out };
      },
      () => void (sampler === undefined ? undefined : rss.push(sampler.stop())),
      () => {
        // The previous export's 400 MiB is removed before the clock starts, not inside it.
        if (bundle.out !== '') rmSync(bundle.out, { recursive: true, force: true });
        global.gc?.();
      },
    );
    bundleBytes = folderBytes(bundle.dir);
    bundleFiles = readdirSync(bundle.dir, { recursive: true }).length;
    await measure('tar cf - <bundle> | sha256sum', 'GNU tar of the bundle folder just exported (the same bytes), hashed by coreutils sha256sum', () => bash(`tar cf - -C ${bundle.dir} . | sha256sum > /dev/null`).then((r) => ({ clientCpuMs: r.childCpuMs })));
    await measure('fieldrun: verify the folder', 'verifyBundle (what `fieldrun report verify` runs): signature against allowed_signers, every file hash, the journal chain and its outputs', async () => {
      const verdict = await verifyBundle(bundle.dir, { allowedSigners: identity.allowedSignersLine() });
      if (verdict.status !== 'trusted') throw new Error(`verify said ${verdict.status}`);
    });
    await measure('fieldrun: verify the archive', 'verifyBundle on the .tar (read as a stream)', async () => {
      const verdict = await verifyBundle(bundle.archive, { allowedSigners: identity.allowedSignersLine() });
      if (verdict.status !== 'trusted') throw new Error(`verify said ${verdict.status}`);
    });
    await measure('sha256sum every file + ssh-keygen -Y verify', 'stock tools: the hashes of every file of the folder and the manifest signature (no comparison with the manifest, no journal chain)', () =>
      bash(`cd ${bundle.dir} && find . -type f -print0 | xargs -0 sha256sum > /dev/null && ssh-keygen -Y verify -f ${allowed} -I ${identity.name} -n fieldrun-report -s manifest.json.sig < manifest.json > /dev/null`).then((r) => ({ clientCpuMs: r.childCpuMs })),
    );

    const exportRow = rows[0]!;
    const base = exportRow.samples.map((s) => s.wallMs);
    const seconds = (values: number[]): number[] => values.map((v) => v / 1000);
    const table: Table = {
      headers: ['figure', 'wall s (median)', 'spread', '× Fieldrun export', 'MiB/s of bundle', 'client CPU s', 'machine CPU s'],
      rows: rows.map((row) =>
        row.failure !== undefined || row.samples.length === 0
          ? [row.name, 'FAILED', oneLine(row.failure ?? ''), '', '', '', '']
          : [
              row.name,
              medianText(seconds(row.samples.map((s) => s.wallMs))),
              spreadText(seconds(row.samples.map((s) => s.wallMs))),
              ratioText(row.samples.map((s) => s.wallMs), base),
              medianText(row.samples.map((s) => bundleBytes / 2 ** 20 / (s.wallMs / 1000))),
              medianText(seconds(row.samples.map((s) => s.clientCpuMs))),
              medianText(seconds(row.samples.map((s) => s.machineCpuMs))),
            ],
      ),
    };
    const tarRow = rows[1];
    const exportOverTar = spreadOf(base).median / spreadOf(tarRow?.samples.map((s) => s.wallMs) ?? []).median;
    const target = `Target: export within 1.5× of tar | sha256sum. Measured: export takes ${num(exportOverTar)}× the time of tar | sha256sum (${exportOverTar <= 1.5 ? 'met' : 'MISSED'}).`;
    const memory = `Fieldrun RSS during export: ${rss.map((p) => `${p.beforeMiB.toFixed(0)} → peak ${p.peakMiB.toFixed(0)} MiB, ${flatness(p)}`).join('; ')}.`;
    const what = `A real run of ${STEPS} steps on ${HOSTS.length} lab hosts (chains of ${STEPS / HOSTS.length}), ${(outputBytes / 2 ** 20).toFixed(0)} MiB of output; the bundle is ${(bundleBytes / 2 ** 20).toFixed(0)} MiB in ${bundleFiles} entries (folder; the .tar is written besides). Median of ${RUNS} runs.`;
    const settings = rows.map((r) => `- ${r.name}: ${r.settings}`).join('\n');
    const tools = `Tools: ${(await bash('tar --version | head -1; sha256sum --version | head -1')).stdout.trim().replace(/\n/g, '; ')}; Node ${process.version}.`;
    console.log(`\n${what}\n${textTable(table)}\n\n${target}\n${memory}\n\nSettings:\n${settings}\n\n${tools}\nLoad average before / after: ${loadBefore} / ${loadText()}`);
    writeResultsSection('report', `${sectionHead(`Report: export and verify a ${STEPS}-step, ${MIB} MiB run`, loadBefore, what)}\n\n${markdownTable(table)}\n\n${target}\n\n${memory}\n\nSettings:\n\n${settings}\n\n${tools}`);
  } finally {
    core?.close();
    await lab.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
