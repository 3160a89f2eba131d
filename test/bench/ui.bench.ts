// Benchmark (not a test): browser mode with a run of 1,000 steps loaded, in Debian's Chromium
// through Playwright: time to interactive of the run list and of the Deploy screen, then the
// main thread's long tasks (PerformanceObserver 'longtask') and frame gaps while a step streams
// ~10 MB/s of output into the open log view.
//   npx tsx test/bench/ui.bench.ts [--runs 3] [--stream-seconds 15]
// Builds the renderer into its own folder first (electron-vite, ~10 s), unless FIELDRUN_RENDERER_OUT
// names a folder that holds a build already. Needs root (the lab) and
// /usr/bin/chromium (apt-get install chromium).
import { chromium, type Browser, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHost, type RunningHost } from '../../electron/host/hostServer';
import type { Core } from '../../electron/core/core';
import { startTestLab, type TestLab } from '../hosts';
import { baselinedRun, call, labCore, stateOf } from '../core/runner/runLab';
import { loginCheck, writeBenchPlan } from './benchPlans';
import { loadText, markdownTable, medianText, num, sectionHead, spreadText, textTable, writeResultsSection, type Table } from './results';

const argument = (name: string): string | undefined => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const RUNS = Number(argument('--runs')) || 3;
const STREAM_SECONDS = Number(argument('--stream-seconds')) || 15;
const STEPS = 1000;
const CHROMIUM = '/usr/bin/chromium';
const STREAM_TITLE = 'Stream output at 10 MB/s';
// 1 MiB of 100-character lines every 0.095 s: ~10 MB/s once the loop's own time is counted.
const STREAM = `blob=$(mktemp); yes 'streamed line of output, one hundred characters long, the same text every time over and over .....' | head -c 1048576 > "$blob"; i=0; while [ $i -lt ${STREAM_SECONDS * 10} ]; do cat "$blob"; sleep 0.095; i=$((i + 1)); done; rm -f "$blob"`;

interface PageMark {
  longTasks: number[];
  timerLag: number[];
}

/** Long tasks and the lateness of a 10 ms timer (ms), from the page's first script on. */
async function watchMainThread(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const mark = { longTasks: [] as number[], timerLag: [] as number[] };
    (window as unknown as { __mark: typeof mark }).__mark = mark;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) mark.longTasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
    // How late a 10 ms timer fires: what a click or a keystroke would wait for at that moment.
    let last = performance.now();
    setInterval(() => {
      const now = performance.now();
      mark.timerLag.push(Math.max(0, now - last - 10));
      last = now;
    }, 10);
  });
}

const takeMark = (page: Page): Promise<PageMark> =>
  page.evaluate(() => {
    const mark = (window as unknown as { __mark: PageMark }).__mark;
    const copy = { longTasks: [...mark.longTasks], timerLag: [...mark.timerLag] };
    mark.longTasks.length = 0;
    mark.timerLag.length = 0;
    return copy;
  });

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function openRunList(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('body[data-ready="true"]').waitFor({ timeout: 60_000 });
}

async function openDeploy(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Deploy' }).click();
  await page.getByRole('heading', { name: 'Deploy', level: 1 }).waitFor({ timeout: 60_000 });
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const loadBefore = loadText();
  const given = process.env['FIELDRUN_RENDERER_OUT'];
  const rendererDir = given ?? mkdtempSync(join(tmpdir(), 'fieldrun-bench-renderer-'));
  if (given === undefined || !existsSync(join(given, 'index.html'))) {
    // Its own output folder, so that end-to-end runs elsewhere keep theirs.
    execFileSync('npx', ['electron-vite', 'build'], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, FIELDRUN_RENDERER_OUT: rendererDir } });
  }
  const lab: TestLab = await startTestLab({ hosts: ['ui1'] });
  let core: Core | undefined;
  let host: RunningHost | undefined;
  let browser: Browser | undefined;
  try {
    // 997 quick steps already run (their journal is what the screen loads), a manual gate, the stream, and one more.
    const steps: Array<Record<string, unknown>> = Array.from({ length: STEPS - 3 }, (_, i) => ({ id: `step-${String(i + 1).padStart(4, '0')}`, title: `Configure item ${i + 1}`, hosts: ['ui1'], run: `echo item ${i + 1} configured` }));
    steps.push({ id: 'gate', title: 'Start the stream', hosts: ['ui1'], needs: steps.map((s) => s['id']), manual: { instructions: 'Say when.' } });
    steps.push({ id: 'stream', title: STREAM_TITLE, hosts: ['ui1'], needs: ['gate'], run: STREAM, timeout: '10m' });
    steps.push({ id: 'last', title: 'Last step', hosts: ['ui1'], needs: ['stream'], run: 'echo done' });
    const planDir = writeBenchPlan(lab, ['ui1'], { title: 'UI bench', baseline: [loginCheck()], steps });
    core = labCore(lab, mkdtempSync(join(tmpdir(), 'fieldrun-bench-ui-data-')));
    const { runId, seq } = await baselinedRun(core, planDir);
    const built = performance.now();
    await call(core, 'runs.deploy.start', { runId, expectSeq: seq });
    await core.runner.idle(runId);
    const before = await stateOf(core, runId);
    const done = Object.values(before.state.instances).filter((i) => i.state === 'succeeded').length;
    const gate = before.state.questions.find((q) => q.kind === 'manual');
    if (gate === undefined || done !== STEPS - 3) throw new Error(`expected ${STEPS - 3} steps done and the gate asking, found ${done} done and ${before.state.questions.map((q) => q.kind).join(', ') || 'no question'}`);
    console.log(`run prepared: ${done} steps run in ${((performance.now() - built) / 1000).toFixed(1)} s, journal at event ${before.seq}`);

    host = await startHost({ core, rendererDir, port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM });
    const chromiumVersion = browser.version();

    // Time to interactive: a fresh page each time (new context: no cache), until the run list
    // says it is ready, then until the Deploy screen of the 1,000-step run is shown.
    const listMs: number[] = [];
    const deployMs: number[] = [];
    const loadLongTasks: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await watchMainThread(page);
      const t0 = performance.now();
      await openRunList(page, host.url);
      listMs.push(performance.now() - t0);
      const t1 = performance.now();
      await openDeploy(page);
      await page.getByRole('region', { name: 'Manual step: do this, then confirm' }).waitFor({ timeout: 60_000 });
      deployMs.push(performance.now() - t1);
      loadLongTasks.push(...(await takeMark(page)).longTasks);
      await context.close();
      console.log(`TTI: run list ${listMs.at(-1)!.toFixed(0)} ms, Deploy screen ${deployMs.at(-1)!.toFixed(0)} ms more`);
    }

    // Streaming: the Deploy screen open on the stream's log while ~10 MB/s arrives.
    const page = await (await browser.newContext()).newPage();
    await watchMainThread(page);
    await openRunList(page, host.url);
    await openDeploy(page);
    const manual = page.getByRole('region', { name: 'Manual step: do this, then confirm' });
    await takeMark(page);
    // From the click that lets the stream go: opening its log view while output arrives is part of it.
    const streamStarted = performance.now();
    await manual.getByRole('button', { name: 'Done' }).click();
    const hosts = page.getByRole('list', { name: `Hosts of ${STREAM_TITLE}` });
    await hosts.getByRole('button').waitFor({ timeout: 30_000 });
    await hosts.getByRole('button').click();
    await page.getByRole('region', { name: new RegExp(`Output: stdout of ${STREAM_TITLE}`) }).waitFor({ timeout: 30_000 });
    await core.runner.idle(runId);
    const streamSeconds = (performance.now() - streamStarted) / 1000;
    const during = await takeMark(page);
    const after = await stateOf(core, runId);
    const streamBytes = after.state.instances['stream@ui1']?.output?.stdout.length ?? 0;
    if (after.state.instances['stream@ui1']?.state !== 'succeeded') throw new Error(`the stream step ended ${after.state.instances['stream@ui1']?.state ?? 'nowhere'}`);
    const rate = streamBytes / 1e6 / streamSeconds;
    console.log(`stream: ${(streamBytes / 1e6).toFixed(0)} MB in ${streamSeconds.toFixed(1)} s; ${during.longTasks.length} long tasks`);

    const ms = (values: number[]): string => `${medianText(values)}`;
    const table: Table = {
      headers: ['figure', 'median', 'spread', 'unit'],
      rows: [
        ['time to interactive: run list (page load until ready)', ms(listMs), spreadText(listMs), 'ms'],
        ['time to interactive: Deploy screen of the 1,000-step run, after the list', ms(deployMs), spreadText(deployMs), 'ms'],
        ['time to interactive: both', ms(listMs.map((l, i) => l + deployMs[i]!)), spreadText(listMs.map((l, i) => l + deployMs[i]!)), 'ms'],
        ['long tasks while loading (all runs): count / longest', `${loadLongTasks.length} / ${num(Math.max(0, ...loadLongTasks))}`, '', 'ms'],
        [`while streaming ${num(rate)} MB/s for ${num(streamSeconds)} s: long tasks (> 50 ms)`, String(during.longTasks.length), '', 'tasks'],
        ['… p99 long task', num(percentile(during.longTasks, 99)), '', 'ms'],
        ['… longest main-thread task', num(Math.max(0, ...during.longTasks)), '', 'ms'],
        ['… time blocked in long tasks, share of the stream', `${num((during.longTasks.reduce((a, b) => a + b, 0) / (streamSeconds * 1000)) * 100)} %`, '', ''],
        ['… lateness of a 10 ms timer: p99 / longest', `${num(percentile(during.timerLag, 99))} / ${num(Math.max(0, ...during.timerLag))}`, '', 'ms'],
      ],
    };
    const what = `Browser mode (electron/host in this process, the renderer built by electron-vite) in headless ${chromiumVersion} (${CHROMIUM}) through Playwright; a run of ${STEPS} steps (${done} already run, a manual gate, a streaming step, one more). TTI: ${RUNS} fresh browser contexts; the stream: one step printing 1 MiB every 0.095 s, ${STREAM_SECONDS * 10} times, with its log view open and following.`;
    console.log(`\n${what}\n${textTable(table)}\nLoad average before / after: ${loadBefore} / ${loadText()}`);
    writeResultsSection('ui', `${sectionHead('UI: browser mode with a 1,000-step run', loadBefore, what)}\n\n${markdownTable(table)}\n\nLong tasks are main-thread tasks over 50 ms as Chromium reports them; the p99 is over those. The stream is timed from the click on Done that lets it start (opening the log view included) to the step's end; the rate is its bytes over that time. The timer lateness is how much later than due a 10 ms page timer fired: the wait a click would see.`);
  } finally {
    await browser?.close();
    await host?.close();
    core?.close();
    await lab.stop();
    if (given === undefined) rmSync(rendererDir, { recursive: true, force: true });
  }
}

await main();
