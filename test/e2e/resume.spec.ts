import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { baselinedRun, labCore, labPlanDir } from '../core/runner/runLab';
import { openScreen, startDeployLab, type DeployLab } from './deployLab';
import { resumePlanDir, startKillableHost, type KillableHost } from './resumeLab';

// Coming back to a run: (a) a reload while a manual step waits brings the technician back to
// Deploy with the question; (b) the host process killed mid-step and started again on the same
// data folder lands on the run's Deploy screen with the interrupted step (reattached and
// finishing, or unknown with its choices). On the way, (a) waives two failed baseline checks on
// screen, and the Baseline and Deploy screens are photographed in light and dark.

let lab: DeployLab;
const killable: KillableHost[] = [];
const dirs: string[] = [];

test.beforeAll(async () => {
  test.setTimeout(180_000);
  lab = await startDeployLab(
    [
      { id: 'prepare', title: 'Prepare the release folder', hosts: ['web1'], run: 'echo preparing /srv/release\nprintf "\\033[32mready\\033[0m <b>as text</b>\\n"' },
      { id: 'check-backup', title: 'Confirm the backup', hosts: ['web1'], needs: ['prepare'], manual: { instructions: "Confirm with the client's operator that last night's backup finished." } },
      { id: 'finish', title: 'Finish', hosts: ['web1'], needs: ['check-backup'], run: 'echo finished' },
    ],
    resumePlanDir,
  );
});

test.afterAll(async () => {
  for (const host of killable) await host.kill();
  await lab?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function screenshots(page: Page, name: string, outputPath: (name: string) => string): Promise<void> {
  // The app scrolls inside its frame: a tall window shows the whole screen.
  const size = page.viewportSize();
  await page.setViewportSize({ width: 1400, height: 1500 });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect(page.locator(`html[data-theme="${scheme}"]`)).toHaveCount(1);
    await page.screenshot({ path: outputPath(`${name}-${scheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  if (size !== null) await page.setViewportSize(size);
}

async function waive(page: Page, cellName: string, reason: string): Promise<void> {
  const details = page.getByRole('region', { name: cellName.replace(/: failed$/, '') });
  await details.getByRole('button', { name: 'Waive…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox').fill(reason);
  await dialog.getByRole('button', { name: 'Waive', exact: true }).click();
  await expect(dialog).toHaveCount(0);
}

test('(a) reload mid-deployment with a manual step open: back on Deploy with the question', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await openScreen(page, lab.host.url, 'Baseline');
  const grid = page.getByRole('grid', { name: 'Baseline checks by host' });
  await expect(grid.getByRole('gridcell', { name: 'No legacy agent installed on web1: failed' })).toBeVisible();
  await expect(grid.getByRole('gridcell', { name: 'Spare disk mounted on web1: failed' })).toBeVisible();

  // By keyboard: into the grid, one cell right, Enter opens it.
  await grid.getByRole('gridcell', { name: 'login-user on web1: passed' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(grid.getByRole('gridcell', { name: 'No legacy agent installed on web1: failed' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: 'No legacy agent installed on web1' })).toContainText('test -e /opt/legacy-agent-that-is-missing');
  await waive(page, 'No legacy agent installed on web1: failed', 'Agent was removed last month; confirmed with the client.');
  await expect(grid.getByRole('gridcell', { name: 'No legacy agent installed on web1: waived' })).toBeVisible();
  await grid.getByRole('gridcell', { name: 'Spare disk mounted on web1: failed' }).click();
  await screenshots(page, 'baseline', (n) => testInfo.outputPath(n));

  // Deployment is refused while a check fails unwaived: the core's message is shown.
  await openScreen(page, lab.host.url, 'Deploy');
  await page.getByRole('button', { name: 'Start deployment' }).click();
  const refusal = page.getByRole('alert');
  await expect(refusal).toContainText('BASELINE_NOT_CLEAR');
  await refusal.getByRole('button', { name: 'Open Baseline' }).click();
  await grid.getByRole('gridcell', { name: 'Spare disk mounted on web1: failed' }).click();
  await waive(page, 'Spare disk mounted on web1: failed', 'Spare disk not needed for this release.');
  await expect(page.getByRole('region', { name: 'Summary' }).first()).toContainText('The baseline is clear');

  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Deploy' }).click();
  await page.getByRole('button', { name: 'Start deployment' }).click();
  const question = page.getByRole('region', { name: 'Manual step: do this, then confirm' });
  await expect(question).toContainText("Confirm with the client's operator that last night's backup finished.", { timeout: 30_000 });
  const log = page.getByRole('region', { name: /Output: stdout of Prepare the release folder on web1/ });
  await expect(log.locator('[data-line="2"]')).toHaveText(/ready <b>as text<\/b>/);
  await screenshots(page, 'deploy', (n) => testInfo.outputPath(n));

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Deploy', level: 1 })).toBeVisible();
  await expect(question).toContainText("Confirm with the client's operator that last night's backup finished.");
  await question.getByRole('textbox').fill('Operator read the backup log to me.');
  await question.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('list', { name: 'Hosts of Finish' }).getByRole('button')).toContainText('succeeded', { timeout: 30_000 });
});

test('(b) host process killed mid-step: started again, the app lands on the run with the interrupted step', async ({ page }, testInfo) => {
  test.setTimeout(150_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'fieldrun-e2e-resume-'));
  dirs.push(dataDir);
  const core = labCore(lab.lab, dataDir);
  await baselinedRun(core, labPlanDir(lab.lab, ['web1'], [{ id: 'long', title: 'Wait twenty seconds', hosts: ['web1'], run: 'echo started\nsleep 20\necho finished' }]));
  core.close();

  const first = await startKillableHost(dataDir, lab.lab.user.privateKeyPath);
  killable.push(first);
  await openScreen(page, first.url, 'Deploy');
  await page.getByRole('button', { name: 'Start deployment' }).click();
  const hosts = page.getByRole('list', { name: 'Hosts of Wait twenty seconds' });
  await expect(hosts.getByRole('button')).toContainText('running', { timeout: 30_000 });
  await expect(page.getByRole('region', { name: /Output: stdout of Wait twenty seconds on web1/ }).locator('[data-line="1"]')).toContainText('started');
  // While it runs, the time since it started is shown and ticks.
  await expect(hosts.getByRole('button')).toContainText(/\d+\s?s so far/);
  const elapsed = (await hosts.getByRole('button').textContent()) ?? '';
  await expect(hosts.getByRole('button')).not.toHaveText(elapsed);
  await first.kill();

  const second = await startKillableHost(dataDir, lab.lab.user.privateKeyPath);
  killable.push(second);
  await page.goto(second.url);
  // No navigation by the test: the app itself lands on the interrupted run's Deploy screen.
  await expect(page.getByRole('heading', { name: 'Deploy', level: 1 })).toBeVisible();
  await expect(hosts.getByRole('button')).toContainText(/running|succeeded|outcome unknown/);
  await page.screenshot({ path: testInfo.outputPath('deploy-after-crash.png') });
  await expect(hosts.getByRole('button')).toContainText(/succeeded|outcome unknown/, { timeout: 60_000 });
  const reattached = (await hosts.getByRole('button').textContent())?.includes('succeeded') === true;
  testInfo.annotations.push({ type: 'after the restart', description: reattached ? 'reattached, finished' : 'outcome unknown, choices offered' });
  if (reattached) {
    await hosts.getByRole('button').click();
    await expect(page.getByRole('region', { name: /Output: stdout of Wait twenty seconds on web1/ }).locator('[data-line="2"]')).toContainText('finished');
  } else {
    const unknown = page.getByRole('region', { name: 'Outcome unknown: decide what to do' });
    await expect(unknown.getByRole('button', { name: 'Retry' })).toBeVisible();
    await expect(unknown.getByRole('button', { name: 'Mark done…' })).toBeVisible();
  }
});
