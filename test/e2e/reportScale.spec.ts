import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from '@playwright/test';
import type { ScaleFixtureResult } from './reportScaleFixture';

// The stated target: the report of a 500-step run with 200 MB of output opens in Chromium
// in under 5 s. report.html shows the start and end of each output (the whole output is in the
// bundle), so it stays small whatever the run printed. The run is recorded and exported by the
// real core in a child process (reportScaleFixture.ts), then opened from the bundle folder.

const LOAD_TARGET_MS = 5_000;
const MiB = 1024 * 1024;

let work: string;
let fixture: ScaleFixtureResult;

test.beforeAll(() => {
  test.setTimeout(300_000);
  work = mkdtempSync(join(tmpdir(), 'fieldrun-report-scale-'));
  const printed = execFileSync('npx', ['tsx', 'test/e2e/reportScaleFixture.ts', work], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  fixture = JSON.parse(printed.trim().split('\n').pop() ?? '') as ScaleFixtureResult;
});
test.afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

test('the report of a 500-step run with 200 MB of output opens in Chromium in under 5 s, summary visible', async ({ page }) => {
  expect(fixture.steps).toBe(500);
  expect(fixture.outputBytes).toBeGreaterThanOrEqual(200 * MiB);

  const started = performance.now();
  await page.goto(pathToFileURL(join(fixture.bundleDir, 'report.html')).href, { waitUntil: 'load' });
  await expect(page.locator('.box')).toBeVisible();
  const openMs = performance.now() - started;
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    return { domContentLoadedMs: nav?.domContentLoadedEventEnd ?? -1, loadMs: nav?.loadEventEnd ?? -1 };
  });
  console.log(
    [
      `[report scale] ${fixture.steps} steps, ${(fixture.outputBytes / MiB).toFixed(0)} MiB output; run recorded in ${(fixture.recordMs / 1000).toFixed(1)} s, exported in ${(fixture.exportMs / 1000).toFixed(1)} s`,
      `[report scale] report.html ${(fixture.reportHtmlBytes / 1024).toFixed(0)} KiB: opened with summary visible in ${openMs.toFixed(0)} ms (DOMContentLoaded ${timing.domContentLoadedMs.toFixed(0)} ms, load ${timing.loadMs.toFixed(0)} ms; target < ${LOAD_TARGET_MS} ms)`,
    ].join('\n'),
  );
  expect(openMs).toBeLessThan(LOAD_TARGET_MS);

  // The page is the whole report, yet small: every step is in it with the start and end of its output, not all of it.
  expect(fixture.reportHtmlBytes).toBeLessThan(4 * MiB);
  await expect(page.locator('.box div').first()).toHaveText(/^500\s*passed$/);
  await expect(page.getByText('Install part 500 of the release')).toHaveCount(1);
  await expect(page.getByText(/lines in the bundle|more in the bundle/).first()).toBeVisible();
  const stepRows = await page.locator('h2:text-is("Steps") + table tbody tr').count();
  expect(stepRows).toBe(500);

  // Attached photos are shown inline (the CSP allows data: images only) under what they belong to.
  await expect(page.locator('h3', { hasText: 'Step: Install part 250 of the release' })).toHaveCount(1);
  const photo = page.locator('img.att[alt="cabinet after part 250.png"]');
  await photo.scrollIntoViewIfNeeded();
  await expect(photo).toBeVisible();
  expect(await photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(64);
  // A document is named (with its file in the bundle), and its handover row links to it.
  await expect(page.locator('figure b', { hasText: 'acceptance.pdf' })).toHaveCount(1);
  await expect(page.locator('a[href^="#att-"]', { hasText: 'acceptance.pdf' })).toHaveCount(1);
  await expect(page.locator('figure code', { hasText: /^attachments\/[0-9a-f]{12}-acceptance\.pdf$/ })).toHaveCount(1);
});
