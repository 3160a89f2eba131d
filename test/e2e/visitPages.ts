// Page helpers of the end-to-end visit: screenshots in both themes, moving between screens,
// drawing a signature with the mouse, and the real `ssh-keygen -Y verify` of an exported bundle.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';

/** A 1×1 PNG: a photo the technician attaches. */
export const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

export type ThemeName = 'light' | 'dark';

const VIEWPORT = { width: 1280, height: 720 };
const TALLEST_SHOT = 4000;

/**
 * Saves `<screen>-light.png` and `<screen>-dark.png` (the app follows the system theme by default).
 * The content scrolls inside the frame, so the window is made as tall as the screen's content for
 * the shot, then put back.
 */
export async function shootBothThemes(page: Page, testInfo: TestInfo, screen: string): Promise<Record<ThemeName, string>> {
  const paths = { light: testInfo.outputPath(`${screen}-light.png`), dark: testInfo.outputPath(`${screen}-dark.png`) };
  const main = page.locator('#main');
  const height = await main.evaluate((el) => el.scrollHeight + (window.innerHeight - el.clientHeight));
  await page.setViewportSize({ width: VIEWPORT.width, height: Math.min(TALLEST_SHOT, Math.max(VIEWPORT.height, height)) });
  await main.evaluate((el) => el.scrollTo(0, 0));
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await page.screenshot({ path: paths[theme] });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(VIEWPORT);
  return paths;
}

/**
 * Copies a screenshot to docs/screenshots/<name>.png, where the README shows it — only when asked
 * (`FIELDRUN_PUBLISH_SCREENSHOTS=1 npx playwright test test/e2e/visit.spec.ts`): a test run must
 * not change the checked-out tree.
 */
export function publishScreenshot(path: string, name: string): void {
  if (process.env['FIELDRUN_PUBLISH_SCREENSHOTS'] !== '1') return;
  const dir = resolve('docs/screenshots');
  mkdirSync(dir, { recursive: true });
  copyFileSync(path, join(dir, `${name}.png`));
}

/** Moves to a screen by its navigation button and waits for its title (when it differs from the button's). */
export async function openScreen(page: Page, name: string, title = name): Promise<void> {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: title, exact: true })).toBeVisible();
}

/** Signs on a canvas the way a hand would: a few strokes with the mouse button held. */
export async function drawSignature(page: Page, pad: Locator): Promise<void> {
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  if (box === null) throw new Error('the signature pad is not on screen');
  const at = (fx: number, fy: number): [number, number] => [box.x + box.width * fx, box.y + box.height * fy];
  const strokes: [number, number][][] = [
    [at(0.1, 0.7), at(0.2, 0.2), at(0.3, 0.7), at(0.4, 0.3), at(0.5, 0.6)],
    [at(0.55, 0.5), at(0.7, 0.25), at(0.85, 0.65), at(0.9, 0.4)],
  ];
  for (const stroke of strokes) {
    const [first, ...rest] = stroke;
    await page.mouse.move(...first!);
    await page.mouse.down();
    for (const point of rest) await page.mouse.move(...point, { steps: 6 });
    await page.mouse.up();
  }
}

/**
 * `ssh-keygen -Y verify` of the bundle's manifest with the identity's allowed_signers line, as head
 * office would run it. Answers OpenSSH's own words.
 */
export function verifyWithSshKeygen(bundleDir: string, allowedSignersLine: string): string {
  if (!existsSync('/usr/bin/ssh-keygen')) throw new Error('ssh-keygen is missing: install it with `apt-get install openssh-client`.');
  const dir = mkdtempSync(join(tmpdir(), 'fieldrun-visit-verify-'));
  const signers = join(dir, 'allowed_signers');
  writeFileSync(signers, `${allowedSignersLine}\n`);
  const principal = allowedSignersLine.split(' ')[0]!;
  const result = spawnSync('ssh-keygen', ['-Y', 'verify', '-f', signers, '-I', principal, '-n', 'fieldrun-report', '-s', join(bundleDir, 'manifest.json.sig')], {
    input: readFileSync(join(bundleDir, 'manifest.json')),
    encoding: 'utf8',
  });
  rmSync(dir, { recursive: true, force: true });
  if (result.status !== 0) throw new Error(`ssh-keygen refused the signature (${result.status}): ${result.stderr}${result.stdout}`);
  return `${result.stdout}${result.stderr}`.trim();
}
