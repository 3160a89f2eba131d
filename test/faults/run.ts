// `npm run faults [N] [--only crash|store|link|sync]`: the fault suites at full count, with totals.
//   crash  N SIGKILLs of a headless runner deploying on the sshd lab (default 200)
//   store  N SIGKILLs of a store writer (the SQLite journal and output on their own, no SSH)
//   link   N/2 trials of a command while its link drops or loses packets (default 100),
//          keepalive 1 s x 3
//   sync   N rounds of report sync through a misbehaving proxy to nginx WebDAV (default 200)
// Each suite prints its totals; the exit status is non-zero on any loss or harness error.
// --crash K, --store K, --link K, --sync K set one suite's count; FIELDRUN_FAULT_SEED replays a sync schedule.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeTempDirs } from '../core/runner/runLab';
import { EXAMPLE_LAB, startTestLab } from '../hosts';
import { runRunnerCrashLoop } from './crashLoop';
import { runLinkFaults } from './linkFaults';
import { runStoreCrashLoop } from './storeCrashLoop';
import { runSyncFaults } from './syncFaults';
import { formatTotals, newTotals, recordLoss, totalLosses, type FaultTotals } from './totals';

const SUITES = ['crash', 'store', 'link', 'sync'] as const;
type Suite = (typeof SUITES)[number];

function usage(problem: string): never {
  console.error(`${problem}\nusage: npm run faults -- [N] [--only crash,store,link,sync] [--crash K] [--store K] [--link K] [--sync K]`);
  process.exit(64);
}

function parseArgs(argv: readonly string[]): { only: Suite[]; counts: Record<Suite, number> } {
  let n = 200;
  const counts: Partial<Record<Suite, number>> = {};
  let only: Suite[] = [...SUITES];
  const count = (text: string | undefined, what: string): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) usage(`${what} must be a positive whole number, not ${text ?? 'nothing'}`);
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--only') {
      const wanted = (argv[++i] ?? '').split(',');
      if (!wanted.every((w): w is Suite => (SUITES as readonly string[]).includes(w))) usage(`--only takes ${SUITES.join(', ')}`);
      only = wanted;
    } else if (arg.startsWith('--') && (SUITES as readonly string[]).includes(arg.slice(2))) counts[arg.slice(2) as Suite] = count(argv[++i], arg);
    else if (/^\d+$/.test(arg)) n = count(arg, 'N');
    else usage(`unknown argument ${arg}`);
  }
  return { only, counts: { crash: counts.crash ?? n, store: counts.store ?? n, link: counts.link ?? Math.max(1, Math.round(n / 2)), sync: counts.sync ?? n } };
}

const log = (line: string): void => console.log(line);

async function crashSuite(kills: number): Promise<FaultTotals[]> {
  const work = mkdtempSync(join(tmpdir(), 'fieldrun-faults-crash-'));
  try {
    const lab = await startTestLab({ hosts: EXAMPLE_LAB, exampleAddresses: true });
    try {
      log(`crash: ${kills} kills of a headless runner on the example lab (${lab.mode})`);
      const { totals } = await runRunnerCrashLoop({ lab, kills, workDir: join(work, 'runner'), log });
      console.log(formatTotals(totals));
      return [totals];
    } finally {
      await lab.stop();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function storeSuite(kills: number): Promise<FaultTotals[]> {
  const work = mkdtempSync(join(tmpdir(), 'fieldrun-faults-store-'));
  try {
    log(`store: ${kills} kills of a store writer`);
    const { totals } = await runStoreCrashLoop({ rounds: kills, root: work, log });
    console.log(formatTotals(totals));
    return [totals];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function linkSuite(trials: number): Promise<FaultTotals[]> {
  const hosts = ['link1', 'link2', 'link3', 'link4'];
  const work = mkdtempSync(join(tmpdir(), 'fieldrun-faults-link-'));
  const lab = await startTestLab({ hosts });
  try {
    log(`link: ${trials} trials on ${hosts.length} hosts side by side (${lab.mode})`);
    const { totals } = await runLinkFaults({ lab, hosts, trials, dataDir: join(work, 'data'), keepalive: { intervalMs: 1000, countMax: 3 }, log });
    console.log(formatTotals(totals));
    return [totals];
  } finally {
    await lab.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

async function syncSuite(rounds: number): Promise<FaultTotals[]> {
  const seed = Number(process.env.FIELDRUN_FAULT_SEED ?? Math.floor(Math.random() * 2 ** 31));
  log(`sync: ${rounds} faulty rounds, seed ${seed} (FIELDRUN_FAULT_SEED=${seed} replays it)`);
  const { totals } = await runSyncFaults({ rounds, seed });
  console.log(formatTotals(totals));
  return [totals];
}

async function main(): Promise<number> {
  const { only, counts } = parseArgs(process.argv.slice(2));
  const all: FaultTotals[] = [];
  for (const suite of only) {
    const started = performance.now();
    try {
      const run = { crash: crashSuite, store: storeSuite, link: linkSuite, sync: syncSuite }[suite];
      all.push(...(await run(counts[suite])));
    } catch (error) {
      // A suite that could not run found nothing: that is a failure, never a pass.
      const totals = newTotals(suite);
      recordLoss(totals, 'harnessErrors', error instanceof Error ? (error.stack ?? error.message) : String(error));
      totals.wallMs = performance.now() - started;
      console.log(formatTotals(totals));
      all.push(totals);
    } finally {
      removeTempDirs();
    }
  }
  console.log('\n== fault suites');
  for (const t of all) {
    console.log(`   ${t.suite.padEnd(48)} runs ${String(t.runs).padStart(5)}  faults ${String(t.faultsInjected).padStart(5)}  losses ${String(totalLosses(t)).padStart(3)}  ${(t.wallMs / 1000).toFixed(0).padStart(5)} s`);
  }
  const failed = all.filter((t) => totalLosses(t) > 0).length;
  console.log(`${all.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
