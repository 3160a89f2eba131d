import { expect, test } from '@playwright/test';
import { longTasks, openDeploy, startDeployLab, watchLongTasks, type DeployLab } from './deployLab';

// A step that prints 200 MB (4,000,000 lines of 50 bytes) on a real sshd host: the log view
// follows the end as it arrives, reaches line 1,000,000 by "go to line", and the page never
// blocks its main thread for a second. Before it, a step prints escape sequences that would act
// on the desktop (OSC 52 clipboard, OSC 8 link) and HTML: none acts, and all shows as text.

const LINES = 4_000_000;
const PAD = 'x'.repeat(33);
const lineText = (n: number): string => `line ${String(n).padStart(10, '0')} ${PAD}`;

const ESCAPES = [
  `printf 'clip: \\033]52;c;%s\\007 end\\n' "$(printf 'stolen-by-osc52' | base64)"`,
  `printf 'clip-st: \\033]52;c;%s\\033\\\\ end\\n' "$(printf 'stolen-by-osc52-st' | base64)"`,
  `printf 'link: \\033]8;;http://evil.example/\\033\\\\text\\033]8;;\\033\\\\ end\\n'`,
  `printf '<b>not bold</b><img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>\\n'`,
  `printf '\\033[1;31mred bold\\033[0m \\033[38;5;82mgreen256\\033[0m \\033[38;2;255;128;0mtruecolor\\033[0m\\n'`,
].join('\n');

let lab: DeployLab;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  lab = await startDeployLab([
    { id: 'escapes', title: 'Print escape sequences', hosts: ['web1'], run: ESCAPES },
    // The big output starts when the second test says so, with its page open.
    { id: 'go', title: 'Start the big output', hosts: ['web1'], needs: ['escapes'], manual: { instructions: 'Say when.' } },
    { id: 'stream', title: 'Print 200 MB', hosts: ['web1'], needs: ['go'], run: `seq -f 'line %010.0f ${PAD}' 1 ${LINES}` },
  ]);
});

test.afterAll(async () => {
  await lab?.stop();
});

test('escape sequences in output neither touch the clipboard nor make links; HTML shows as text', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openDeploy(page, lab.host.url);
  await page.evaluate(() => navigator.clipboard.writeText('clipboard before the step'));
  await page.getByRole('button', { name: 'Start deployment' }).click();
  const hosts = page.getByRole('list', { name: 'Hosts of Print escape sequences' });
  await expect(hosts.getByRole('button')).toContainText('succeeded', { timeout: 60_000 });
  await hosts.getByRole('button').click();
  const log = page.getByRole('region', { name: /Output: stdout of Print escape sequences on web1/ });
  await expect(log.locator('[data-line="5"]')).toContainText('red bold green256 truecolor');
  await expect(log.locator('[data-line="1"]')).toHaveText(/^1clip:\s+end$/);
  await expect(log.locator('[data-line="2"]')).toHaveText(/^2clip-st:\s+end$/);
  await expect(log.locator('[data-line="3"]')).toHaveText(/^3link: text end$/);
  await expect(log.locator('[data-line="4"]')).toContainText('<b>not bold</b><img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>');
  await expect(log.locator('a, img, script, b')).toHaveCount(0);
  await expect(page.locator('a[href*="evil"]')).toHaveCount(0);
  // Colours are drawn as classes and CSSOM styles on spans.
  await expect(log.locator('[data-line="5"] span.ansi-bold.ansi-fg-1')).toHaveText('red bold');
  await expect(log.locator('[data-line="5"] .log-text > span', { hasText: /^truecolor$/ })).toHaveCSS('color', 'rgb(255, 128, 0)');
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('clipboard before the step');
});

test('200 MB of output: follows the end as it arrives, reaches line 1,000,000, no long task over 1 s', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  await watchLongTasks(page);
  await openDeploy(page, lab.host.url);
  const manual = page.getByRole('region', { name: 'Manual step: do this, then confirm' });
  await expect(manual).toContainText('Say when.');
  await manual.getByRole('button', { name: 'Done' }).click();
  const started = Date.now();
  const hosts = page.getByRole('list', { name: 'Hosts of Print 200 MB' });
  await expect(hosts.getByRole('button')).toBeEnabled({ timeout: 30_000 });
  await hosts.getByRole('button').click();
  const log = page.getByRole('region', { name: /Output: stdout of Print 200 MB on web1/ });

  // While it arrives, the last line drawn is the last line received.
  const sizes = page.locator('.log-view .log-toolbar .muted').first();
  await expect(sizes).toHaveText(/[1-9][\d,.\u202f\u00a0]* lines/, { timeout: 60_000 });
  let sampledWhileRunning = false;
  for (let i = 0; i < 50 && !sampledWhileRunning; i++) {
    const sample = await log.evaluate((el) => {
      const rows = [...el.querySelectorAll('[data-line]')].map((r) => Number(r.getAttribute('data-line')));
      const text = el.closest('.log-view')?.querySelector('.log-toolbar .muted')?.textContent ?? '';
      return { last: Math.max(0, ...rows), count: Number(text.replace(/[^\d]/g, ' ').trim().split(/\s+/)[0] ?? '0') };
    });
    if (sample.count > 0 && sample.count < LINES) {
      expect(sample.last).toBeGreaterThanOrEqual(sample.count - 1);
      sampledWhileRunning = true;
    }
    await page.waitForTimeout(200);
  }
  expect(sampledWhileRunning).toBe(true);

  await expect(log.locator(`[data-line="${LINES}"]`)).toContainText(lineText(LINES), { timeout: 240_000 });
  const lastLineShownMs = Date.now() - started;
  await expect(hosts.getByRole('button')).toContainText('succeeded', { timeout: 60_000 });

  await page.getByRole('spinbutton', { name: 'Line' }).fill('1000000');
  await page.getByRole('button', { name: 'Go to line' }).click();
  await expect(log.locator('[data-line="1000000"]')).toContainText(lineText(1_000_000));
  await expect(log.locator('[data-line="1000001"]')).toContainText(lineText(1_000_001));
  await page.screenshot({ path: testInfo.outputPath('deploy-stream.png') });

  const tasks = await longTasks(page);
  testInfo.annotations.push({ type: 'long tasks', description: `${tasks.length} over 50 ms, longest ${Math.round(Math.max(0, ...tasks))} ms` });
  testInfo.annotations.push({ type: 'last line shown', description: `${lastLineShownMs} ms after the step was let go` });
  process.stdout.write(`deployStream: last line shown ${lastLineShownMs} ms after start; ${tasks.length} long tasks, longest ${Math.round(Math.max(0, ...tasks))} ms\n`);
  expect(Math.max(0, ...tasks)).toBeLessThan(1000);
});
