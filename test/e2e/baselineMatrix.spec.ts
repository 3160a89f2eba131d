import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { parse, stringify } from 'yaml';
import type { Core } from '../../electron/core/core';
import { startHost, type RunningHost } from '../../electron/host/hostServer';
import { startTestLab, type TestLab } from '../hosts';
import { call, labCore, removeTempDirs } from '../core/runner/runLab';
import { openScreen } from './deployLab';
import { rendererOutDir } from './hostProcess';

// A baseline of 50 checks on 50 hosts, as a technician at a large site sees it: the matrix keeps
// a bounded number of cells in the page, the keyboard walks 30 hosts down and 20 checks right and
// Enter opens exactly that cell. Fifty sshd would be a heavy lab: the plan's 50 hosts are distinct
// names on ONE lab host's address, port and pinned keys (the plan schema allows a shared address),
// and only host31's checks are run, so its row holds real verdicts from a real sshd.

const HOSTS = 50;
const CHECKS = 50;
const hostName = (i: number): string => `host${String(i).padStart(2, '0')}`;
// Every seventh check fails, so the opened cell (check 21) shows a failure with its output.
const failing = (i: number): boolean => i % 7 === 0;

let lab: TestLab;
let core: Core;
let host: RunningHost;

function matrixPlanDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fieldrun-e2e-matrix-plan-'));
  const doc = parse(readFileSync('resources/plans/example-plan/plan.yaml', 'utf8')) as Record<string, unknown>;
  const web1 = lab.host('web1');
  const hostKeys = web1.hostKeys.map((k) => ({ type: k.type, fingerprint: k.fingerprint }));
  doc['hosts'] = Array.from({ length: HOSTS }, (_, i) => ({ name: hostName(i + 1), address: web1.address, port: web1.port, user: lab.user.name, hostKeys }));
  doc['variables'] = {};
  doc['artifacts'] = [];
  doc['checklist'] = [{ id: 'ready', text: 'Ready.' }];
  doc['baseline'] = Array.from({ length: CHECKS }, (_, i) => ({
    id: `check-${i + 1}`,
    title: `Check number ${i + 1}`,
    type: 'command',
    run: failing(i + 1) ? `echo "check ${i + 1} found nothing" >&2; exit 3` : `echo check ${i + 1} ok`,
  }));
  doc['steps'] = [{ id: 'one', title: 'One', hosts: [hostName(1)], run: 'true' }];
  writeFileSync(join(dir, 'plan.yaml'), stringify(doc));
  return dir;
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  lab = await startTestLab({ hosts: ['web1'] });
  core = labCore(lab, mkdtempSync(join(tmpdir(), 'fieldrun-e2e-matrix-')));
  const { plan } = await call(core, 'plans.import', { source: { kind: 'path', path: matrixPlanDir() }, acknowledgeUntrusted: { note: 'test plan' } });
  const { runId } = await call(core, 'runs.create', { planHash: plan.hash });
  const { seq } = await call(core, 'runs.checklist.tick', { runId, expectSeq: 1, itemId: 'ready' });
  await call(core, 'runs.baseline.run', { runId, expectSeq: seq, only: { host: hostName(31) } });
  await core.runner.idle(runId);
  host = await startHost({ core, rendererDir: rendererOutDir(), port: 0 });
});

test.afterAll(async () => {
  await host?.close();
  core?.close();
  await lab?.stop();
  removeTempDirs();
});

const cellsInPage = (page: Page): Promise<number> => page.getByRole('grid', { name: 'Baseline checks by host' }).getByRole('gridcell').count();

test('50 hosts × 50 checks: a bounded number of cells in the page; the keyboard reaches host31 × check 21 and Enter opens it', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await openScreen(page, host.url, 'Baseline');
  const grid = page.getByRole('grid', { name: 'Baseline checks by host' });
  await expect(grid.getByRole('gridcell', { name: 'Check number 1 on host01: not run' })).toBeVisible();
  await expect(grid).toHaveAttribute('aria-rowcount', String(HOSTS + 1));
  await expect(grid).toHaveAttribute('aria-colcount', String(CHECKS + 1));
  await expect(page.getByRole('region', { name: 'Summary' }).first()).toContainText(/passed\s*43/);
  await expect(page.getByRole('region', { name: 'Summary' }).first()).toContainText(/failed\s*7/);

  const atStart = await cellsInPage(page);
  expect(atStart).toBeGreaterThan(0);
  expect(atStart).toBeLessThan(HOSTS * CHECKS / 10);

  await grid.getByRole('gridcell', { name: 'Check number 1 on host01: not run' }).focus();
  for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowDown');
  await expect(grid.getByRole('gridcell', { name: 'Check number 1 on host31: passed' })).toBeFocused();
  for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowRight');
  const target = grid.getByRole('gridcell', { name: 'Check number 21 on host31: failed' });
  await expect(target).toBeFocused();
  await expect(target).toBeInViewport();
  // The headers of the focused cell are drawn too: the technician sees which host and check it is.
  await expect(grid.getByRole('rowheader', { name: 'host31' })).toBeInViewport();
  await expect(grid.getByRole('columnheader', { name: 'Check number 21' })).toBeInViewport();

  const afterMoving = await cellsInPage(page);
  expect(afterMoving).toBeLessThan(HOSTS * CHECKS / 10);
  testInfo.annotations.push({ type: 'cells in the page', description: `${atStart} at the start, ${afterMoving} at host31 × check 21, of ${HOSTS * CHECKS}` });

  await page.keyboard.press('Enter');
  const details = page.getByRole('region', { name: 'Check number 21 on host31' });
  await expect(details).toBeVisible();
  await expect(details).toContainText('check 21 found nothing');
  await expect(details).toContainText(/Time\s*took (under a second|\d)/);
  await expect(page.getByRole('region', { name: 'Check number 20 on host31' })).toHaveCount(0);

  // The whole screen in each theme; the app scrolls inside its frame, so a tall window shows it all.
  await page.setViewportSize({ width: 1400, height: 1500 });
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme, contrast: 'no-preference' });
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await page.screenshot({ path: testInfo.outputPath(`baseline-matrix-${theme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light', contrast: 'more' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'contrast');
  await page.screenshot({ path: testInfo.outputPath('baseline-contrast.png'), fullPage: true });
});
