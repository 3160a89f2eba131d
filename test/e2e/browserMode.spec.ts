import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { createCore } from '../../electron/core/core';
import { startHostProcess, type HostProcess } from './hostProcess';

let dataDir: string;
let host: HostProcess;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'fieldrun-e2e-'));
  // Import a plan first, in-process; the host then opens the same data folder (one process at a time).
  const core = createCore({ dataDir });
  const imported = await core.dispatch('plans.import', { source: { kind: 'path', path: resolve('resources/plans/first-plan.yaml') }, acknowledgeUntrusted: { note: 'e2e placeholder test' } });
  core.close();
  if (!imported.ok) throw new Error(imported.error.message);
  host = await startHostProcess(dataDir);
});

test.afterAll(async () => {
  await host.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('browser mode: the page opened with the token lists the imported plans', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  await page.goto(host.url);
  const plans = page.getByRole('list', { name: 'Plans', exact: true });
  // One plan (its runs are a list inside its item).
  await expect(plans.locator(':scope > li')).toHaveCount(1);
  await expect(plans.getByRole('heading', { name: 'Publish a maintenance page' })).toBeVisible();
  await expect(plans).toContainText('unsigned');
  await expect(plans).toContainText('acknowledged');
  // The token leaves the address bar once used.
  expect(page.url()).not.toContain('token');
  expect(problems).toEqual([]);
});

test('browser mode: without the token the page says what to do, and the API stays shut', async ({ page }) => {
  await page.goto(host.url.replace(/#token=.*$/, ''));
  await expect(page.getByRole('alert')).toContainText('#token=');
});

test('browser mode: a wrong token gets no data', async ({ page }) => {
  await page.goto(host.url.replace(/#token=[0-9a-f]+$/, `#token=${'0'.repeat(64)}`));
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Plans', exact: true })).toHaveCount(0);
});
