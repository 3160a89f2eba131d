import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { parse, stringify } from 'yaml';
import type { TestLab } from '../hosts';
import { call, labPlanDir } from '../core/runner/runLab';
import { openDeploy, startDeployLab, type DeployLab } from './deployLab';

// A step fails on a real sshd host and the technician decides on screen: the exclusion dialog
// first shows what excluding the host would skip (and is cancelled), then "Roll back" is asked
// twice because the point of no return has passed; the run ends rolled back, and the host's files
// show the rollback actions really ran. The Deploy screen is photographed in each theme, high
// contrast included.

let lab: DeployLab;

/** The lab plan with an outage window long gone, so that any rollback is past the point of no return. */
function pastWindowPlanDir(testLab: TestLab, hosts: readonly string[], steps: Array<Record<string, unknown>>): string {
  const dir = labPlanDir(testLab, hosts, steps);
  const doc = parse(readFileSync(join(dir, 'plan.yaml'), 'utf8')) as { outage: Record<string, string> };
  doc.outage['start'] = '2020-01-01T22:00:00+01:00';
  doc.outage['pointOfNoReturn'] = '2020-01-02T00:30:00+01:00';
  doc.outage['end'] = '2020-01-02T02:00:00+01:00';
  writeFileSync(join(dir, 'plan.yaml'), stringify(doc));
  return dir;
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  lab = await startDeployLab(
    [
      {
        id: 'install',
        title: 'Install release 2.4',
        hosts: ['web1'],
        run: 'mkdir -p ~/app && echo 2.4 > ~/app/version',
        rollback: { run: 'rm -f ~/app/version && echo "install undone" > ~/app/rollback-install' },
      },
      { id: 'start', title: 'Start the app', hosts: ['web1'], needs: ['install'], run: 'echo "port 8080 in use" >&2; exit 4' },
      { id: 'smoke', title: 'Smoke test', hosts: ['web1'], needs: ['start'], run: 'echo smoke' },
    ],
    pastWindowPlanDir,
  );
});

test.afterAll(async () => {
  await lab?.stop();
});

test('a failed step, rolled back past the point of no return after a second ask: the run is rolled back on the host', async ({ page }, testInfo) => {
  const web1 = lab.lab.host('web1');
  await openDeploy(page, lab.host.url);
  await page.getByRole('button', { name: 'Start deployment' }).click();
  const failure = page.getByRole('region', { name: 'A step failed: decide what to do' });
  await expect(failure).toContainText('Start the app', { timeout: 30_000 });
  expect(readFileSync(web1.pathOnHost('~/app/version'), 'utf8')).toBe('2.4\n');
  await expect(page.getByRole('list', { name: 'Hosts of Install release 2.4' }).getByRole('button')).toContainText(/succeeded.*took (under a second|\d)/);

  // Excluding the host is previewed before anything is decided, and cancelling changes nothing.
  await failure.getByRole('button', { name: 'Exclude host…' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('heading', { name: /Instances that will be skipped/ })).toBeVisible();
  await expect(dialog.getByRole('list', { name: 'Instances skipped' })).toContainText('smoke@web1');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(failure).toBeVisible();

  // Roll back, with a reason; past the point of no return the core asks again, and so does the screen.
  await failure.getByRole('button', { name: 'Roll back…' }).click();
  await expect(dialog.getByRole('button', { name: 'Roll back', exact: true })).toBeDisabled();
  await dialog.getByRole('textbox').fill('The app cannot start; the client wants 2.3 back.');
  await dialog.getByRole('button', { name: 'Roll back', exact: true }).click();
  const second = page.getByRole('dialog', { name: 'Past the point of no return' });
  await expect(second).toBeVisible({ timeout: 10_000 });
  expect(existsSync(web1.pathOnHost('~/app/rollback-install'))).toBe(false);
  await second.getByRole('button', { name: 'Roll back anyway' }).click();

  await expect(page.getByText('This run was rolled back.')).toBeVisible({ timeout: 30_000 });
  const rollbacks = page.getByRole('list', { name: 'Rollback actions' });
  await expect(rollbacks.getByRole('button', { name: /web1 Install release 2.4 succeeded/ })).toBeVisible();
  expect(existsSync(web1.pathOnHost('~/app/version'))).toBe(false);
  expect(readFileSync(web1.pathOnHost('~/app/rollback-install'), 'utf8')).toBe('install undone\n');
  const { state } = await call(lab.core, 'runs.get', { runId: lab.runId });
  expect(state.phase).toBe('rolled-back');
  expect(state.deviations.map((d) => d.kind)).toContain('rollback');

  // The screen after the rollback, in each theme; the app scrolls inside its frame, so a tall window shows it all.
  await page.setViewportSize({ width: 1400, height: 1500 });
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme, contrast: 'no-preference' });
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await page.screenshot({ path: testInfo.outputPath(`deploy-rolled-back-${theme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light', contrast: 'more' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'contrast');
  await page.screenshot({ path: testInfo.outputPath('deploy-contrast.png'), fullPage: true });
});
