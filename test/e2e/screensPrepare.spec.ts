// The screens of the preparation, in browser mode against the sshd lab: import (a broken plan
// with its problems at their lines, an unsigned plan with an acknowledgement, HTML in plan text
// kept as text), a run started, the overview (a phone copied, flags acknowledged), the checklist
// (a tick with a note, a photo), credential profiles (the secret never shown again), a secret
// value, and an unpinned host key confirmed. Screenshots of each screen in light and dark.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { startTestLab, type TestLab } from '../hosts';
import { startHostProcess, type HostProcess } from './hostProcess';
import { connectHostClient, type HostClient } from './screensPrepareApi';
import { CANARY, writePreparePlans, type PreparePlans } from './screensPreparePlans';

declare global {
  interface Window {
    __canary?: unknown;
  }
}

// A 1×1 PNG: the photo attached to a checklist item.
const PHOTO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const BACKUP_ITEM = "The client confirmed that last night's database backup completed.";
const OUTAGE_ITEM = "The client's operations manager agreed to start the outage now.";

let lab: TestLab;
let plans: PreparePlans;
let dataDir: string;
let host: HostProcess;
let context: BrowserContext;
let page: Page;
let api: HostClient;
const consoleErrors: string[] = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  lab = await startTestLab({ hosts: ['web1', 'app1', 'app2'] });
  plans = writePreparePlans(lab);
  dataDir = mkdtempSync(join(tmpdir(), 'fieldrun-e2e-prepare-data-'));
  host = await startHostProcess(dataDir);
  api = await connectHostClient(host.url);
  context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  await page.goto(host.url);
  await expect(page.locator('body[data-ready="true"]')).toBeAttached();
});

test.afterAll(async () => {
  api?.close();
  await context?.close();
  await host?.stop();
  await lab?.stop();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  if (plans !== undefined) rmSync(plans.dir, { recursive: true, force: true });
});

/** The screen as it is, in the light and the dark theme (the theme follows the system's). */
async function shoot(name: string): Promise<void> {
  // The frame scrolls inside <main>, so a full-page shot needs a window as tall as the screen's content.
  const height = await page.locator('main').evaluate((main) => main.scrollHeight + main.getBoundingClientRect().top);
  await page.setViewportSize({ width: 1280, height: Math.min(Math.max(720, Math.ceil(height)), 6000) });
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expect(page.locator('html')).toHaveAttribute('data-theme', colorScheme);
    await page.screenshot({ path: test.info().outputPath(`${name}-${colorScheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 720 });
}

const planList = () => page.getByRole('list', { name: 'Plans', exact: true });
const planItem = (title: string) => planList().locator(':scope > li').filter({ has: page.getByRole('heading', { name: title, exact: true }) });
const nav = (screen: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: screen, exact: true });

/** The uploads the core holds in the data folder (each in its own folder). */
function heldUploads(): string[] {
  return readdirSync(join(dataDir, 'uploads'));
}

async function openRunId(label: string): Promise<string> {
  const { runs } = await api.call('runs.list', {});
  const run = runs.find((r) => r.label === label);
  if (run === undefined) throw new Error(`no run labelled ${label}`);
  return run.runId;
}

test('a broken plan dropped on the page is not imported and shows each problem at its line; a second drop meanwhile is ignored', async () => {
  await expect(page.getByRole('heading', { name: 'No plan imported yet' })).toBeVisible();
  // Two drops in one go: the second arrives while the first import is busy and must not start another.
  await page.getByText('Drop a plan file or archive here').evaluate((zone, text) => {
    const drop = (file: File): void => {
      const data = new DataTransfer();
      data.items.add(file);
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    };
    drop(new File([text], 'broken-plan.yaml', { type: 'application/yaml' }));
    drop(new File(['not: a plan'], 'second-drop.yaml', { type: 'application/yaml' }));
  }, readFileSync(plans.broken, 'utf8'));
  const problems = page.getByRole('list', { name: 'Problems in the plan' });
  await expect(problems.getByRole('listitem')).toHaveCount(2);
  await expect(problems).toContainText(`broken-plan.yaml:${plans.brokenNeedsLine}:`);
  await expect(problems).toContainText('steps[1].needs[0]');
  await expect(problems).toContainText('No step has the id nothere');
  await expect(problems).toContainText(/broken-plan\.yaml:11:\d+/);
  await expect(problems).toContainText('metadata.version');
  await expect(page.getByRole('heading', { name: 'No plan imported yet' })).toBeVisible();
  await expect(page.getByText(/second-drop\.yaml/)).toHaveCount(0);
  // The refused plan's upload is dropped, not left to fill the core's few upload slots.
  await expect.poll(() => heldUploads()).toEqual([]);
  await shoot('plans-problems');
});

test('an unsigned plan is imported only with an acknowledgement', async () => {
  await page.getByLabel('Choose a plan file or archive').setInputFiles(plans.good);
  const ack = page.getByRole('group', { name: 'This plan needs your acknowledgement' });
  await expect(ack).toContainText('unsigned');
  await expect(ack).toContainText('carries no head-office signature');
  // The import stopped for the technician: the note takes the focus, so a screen reader says so.
  await expect(ack.getByLabel(/Why you trust this plan/)).toBeFocused();
  const confirm = ack.getByRole('button', { name: 'Import with this note' });
  await expect(confirm).toBeDisabled();
  await ack.getByLabel(/Why you trust this plan/).fill('Handed over by the project manager on a USB key');
  await confirm.click();
  await expect(page.getByText(`Imported “${plans.goodTitle}” (1.0.0).`)).toBeVisible();
  await expect(planItem(plans.goodTitle)).toContainText('unsigned · acknowledged');
  await expect(planItem(plans.goodTitle)).toContainText('No run of this plan yet.');
  const { plans: imported } = await api.call('plans.list', {});
  expect(imported.map((p) => [p.title, p.signature.status, p.acknowledged])).toEqual([[plans.goodTitle, 'unsigned', true]]);
  await expect(planItem(plans.goodTitle)).toContainText(`Plan hash ${imported[0]!.hash.slice(0, 12)}`);
  await expect.poll(() => heldUploads()).toEqual([]);
});

test('a plan archive with its artifacts is sent in chunks and imported', async () => {
  await page.getByLabel('Choose a plan file or archive').setInputFiles(plans.archive);
  const ack = page.getByRole('group', { name: 'This plan needs your acknowledgement' });
  await ack.getByLabel(/Why you trust this plan/).fill('The example plan, packed for the test');
  await ack.getByRole('button', { name: 'Import with this note' }).click();
  await expect(page.getByText(`Imported “${plans.archiveTitle}”`, { exact: false })).toBeVisible({ timeout: 20_000 });
  await expect(planItem(plans.archiveTitle)).toContainText('5 artifacts');
  const { plans: imported } = await api.call('plans.list', {});
  expect(imported.find((p) => p.title === plans.archiveTitle)?.source).toEqual({ kind: 'archive', name: 'example-plan.tgz' });
});

test('HTML in plan text shows as text and runs nothing', async () => {
  await page.getByLabel('Choose a plan file or archive').setInputFiles(plans.canary);
  const ack = page.getByRole('group', { name: 'This plan needs your acknowledgement' });
  await ack.getByLabel(/Why you trust this plan/).fill('canary test');
  await ack.getByRole('button', { name: 'Import with this note' }).click();
  await expect(planItem(`Canary ${CANARY}`)).toBeVisible();
  await planItem(`Canary ${CANARY}`).getByLabel('Label for a new run (optional)').fill('canary');
  await planItem(`Canary ${CANARY}`).getByRole('button', { name: /^Start a run of Canary/ }).click();
  await expect(page.getByRole('heading', { name: `Canary ${CANARY}`, exact: true })).toBeVisible();
  await nav('Checklist').click();
  await expect(page.getByText(`Check ${CANARY} stays text`, { exact: true })).toBeVisible();
  expect(await page.locator('main img').count()).toBe(0);
  expect(await page.evaluate(() => window.__canary)).toBeUndefined();
  await nav('Plans').click();
  expect(await page.evaluate(() => window.__canary)).toBeUndefined();
});

test('a run is started from its plan and opens on its overview', async () => {
  await expect(planItem(`Canary ${CANARY}`)).toContainText('canary');
  await shoot('plans');
  const item = planItem(plans.goodTitle);
  await item.getByLabel('Label for a new run (optional)').fill('Night shift');
  await item.getByRole('button', { name: `Start a run of ${plans.goodTitle}` }).click();
  await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: plans.goodTitle })).toBeVisible();
  await nav('Plans').click();
  await expect(planItem(plans.goodTitle).getByRole('list', { name: `Runs of ${plans.goodTitle}` })).toContainText('Night shift');
  await expect(planItem(plans.goodTitle)).toContainText('phase: prepare');
  await planItem(plans.goodTitle).getByRole('button', { name: 'Open run Night shift' }).click();
  await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
});

test('the overview: a phone copied in one click, the window in site time, flags acknowledged', async () => {
  const contacts = page.getByRole('list', { name: 'Contacts' });
  await expect(contacts).toContainText('Claire Martin');
  await expect(contacts).toContainText('Backup: Olivier Petit');
  await contacts.getByRole('button', { name: 'Copy phone of Claire Martin' }).click();
  await expect(contacts.getByRole('status').filter({ hasText: 'Copied' })).toHaveCount(1);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('+33 4 72 00 00 01');
  // A phone is text to read out or copy: the app shell opens no tel: link.
  await expect(contacts).toContainText('+33 4 72 00 00 01');
  await expect(contacts.getByRole('link')).toHaveCount(0);

  const window = page.getByRole('table', { name: 'Outage window' });
  await expect(window).toContainText('Site time (America/New_York)');
  // Each site time names its zone's abbreviation, so it cannot be read as laptop time.
  await expect(window).toContainText(/\d{2}:\d{2}:\d{2}\s[AP]M E[SD]T/);
  await expect(page.getByText(/^The window opens in 1h 5\dm/)).toBeVisible();
  await expect(page.getByRole('table', { name: 'Hosts' })).toContainText('none: confirmed on first connection');

  const flags = page.getByRole('list', { name: 'Yellow flags' });
  await expect(flags.getByRole('listitem').first()).toBeVisible();
  await expect(page.getByText(/^Deployment cannot start until every yellow flag is acknowledged/)).toBeVisible();
  await page.getByLabel(/^Note \(who you spoke to/).fill('Read with head office on the phone');
  await page.getByRole('button', { name: 'Acknowledge selected flags' }).click();
  await expect(page.getByText('Every yellow flag is acknowledged.')).toBeVisible();
  const runId = await openRunId('Night shift');
  const { flags: all, acknowledged } = await api.call('runs.flags.get', { runId });
  expect(acknowledged.sort()).toEqual(all.map((f) => f.id).sort());
  await shoot('overview');
});

test('the checklist: an item ticked with a note and a photo', async () => {
  await nav('Checklist').click();
  await page.getByLabel(`Note for “${BACKUP_ITEM}” (optional)`).fill('Hugo sent the report: 02:10, 41 GB');
  await page.getByRole('button', { name: `Tick “${BACKUP_ITEM}”` }).click();
  await expect(page.getByText('Note: Hugo sent the report: 02:10, 41 GB')).toBeVisible();
  // Too large for an attachment: refused before anything is sent, and the caption typed stays.
  const item = page.getByRole('listitem', { name: BACKUP_ITEM });
  await item.getByLabel('Caption (optional)').fill('Backup report, page 1');
  // The file is made in the page: sending 25 MiB through the test driver takes seconds.
  await item.getByLabel(`Attach a photo or file to “${BACKUP_ITEM}”`).evaluate((input: HTMLInputElement) => {
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array(25 * 1024 * 1024 + 1)], 'huge.png', { type: 'image/png' }));
    input.files = data.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await expect(item.getByRole('alert')).toContainText('huge.png is 25 MB; an attachment may be at most 25 MB.');
  await expect(item.getByLabel('Caption (optional)')).toHaveValue('Backup report, page 1');
  await item.getByLabel(`Attach a photo or file to “${BACKUP_ITEM}”`).setInputFiles({ name: 'backup-report.png', mimeType: 'image/png', buffer: PHOTO });
  await expect(page.getByRole('img', { name: 'Photo: backup-report.png' })).toBeVisible();
  await expect(item).toContainText(/backup-report\.png · 70 \S+ — Backup report, page 1/);
  await expect(item.getByLabel('Caption (optional)')).toHaveValue('');
  await expect(item.getByRole('alert')).toHaveCount(0);
  await page.getByRole('button', { name: `Tick “${OUTAGE_ITEM}”` }).click();
  await expect(page.getByText('Every required item is ticked: the baseline can run.')).toBeVisible();
  const { state } = await api.call('runs.get', { runId: await openRunId('Night shift') });
  expect(state.checklist['backup-confirmed']?.note).toBe('Hugo sent the report: 02:10, 41 GB');
  expect(state.checklist['outage-agreed']).toBeDefined();
  expect(state.attachments.map((a) => [a.name, a.target, a.caption])).toEqual([['backup-report.png', { kind: 'checklist', itemId: 'backup-confirmed' }, 'Backup report, page 1']]);
  await shoot('checklist');
});

test('credential profiles and secret values: written once, never shown again', async () => {
  await nav('Connect').click();
  await page.getByLabel('Profile name').fill('lab-password');
  await page.getByRole('radio', { name: 'Password' }).check();
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(lab.user.password);
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByText('Profile lab-password saved. Its secret is not shown again.')).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Password', exact: true })).toHaveValue('');
  await expect(page.getByLabel('Profile name')).toHaveValue('');

  await page.getByRole('radio', { name: 'Private key file' }).check();
  await page.getByLabel('Profile name').fill('lab-key');
  await page.getByLabel('Key file path (on this laptop)').fill(lab.user.privateKeyPath);
  await page.getByRole('button', { name: 'Save profile' }).click();
  const profiles = page.getByRole('list', { name: 'Credential profiles' });
  await expect(profiles.getByRole('listitem')).toHaveCount(2);
  await expect(profiles).toContainText('lab-password');
  await expect(profiles).toContainText(lab.user.privateKeyPath);
  await expect(profiles).not.toContainText(lab.user.password);

  await page.getByLabel(/^apiToken/).fill('tok-3141');
  await page.getByRole('button', { name: 'Give these values' }).click();
  await expect(page.getByText('Given: apiToken.')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Values the plan needs' })).toContainText('given');
  await expect(page.getByLabel(/^apiToken/)).toHaveValue('');
  expect(await page.content()).not.toContain(lab.user.password);
  expect(await page.content()).not.toContain('tok-3141');
});

test('an unpinned host key is confirmed, a changed pinned one overridden, and both hosts then connect', async () => {
  test.setTimeout(120_000);
  const runId = await openRunId('Night shift');
  // The hosts connect when the baseline runs (the Baseline screen's job): started here by a second client.
  await api.call('runs.baseline.run', { runId, expectSeq: (await api.call('runs.get', { runId })).head.seq });
  const question = page.getByRole('list', { name: 'Host key questions' }).getByRole('group', { name: 'app1' });
  await expect(question).toBeVisible({ timeout: 30_000 });
  await expect(question).toContainText('The plan expects: no pinned key (confirm on first use)');
  const presented = /^Presented: (\S+) (SHA256:\S+)$/.exec((await question.getByText(/^Presented:/).textContent()) ?? '');
  expect(lab.host('app1').hostKeys.map((k) => k.fingerprint)).toContain(presented?.[2]);
  await shoot('connect');

  await question.getByRole('button', { name: 'Trust the key of app1' }).click();
  await expect(page.getByRole('list', { name: 'Host key questions' })).toHaveCount(0);
  await expect.poll(async () => (await api.call('runs.get', { runId })).state.hosts['app1']?.acceptedKeys).toContain(presented?.[2]);

  // app2's pinned key changed: the override takes the fingerprint the client reads out, and a reason.
  const app2Key = lab.host('app2').hostKeys.find((k) => k.type === 'ssh-ed25519')!.fingerprint;
  await expect(page.getByText(/^app2 presented a key that differs from the one the plan pins/)).toBeVisible();
  await page.getByRole('button', { name: 'Override with the fingerprint the client reads out…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Accept a changed host key of app2' });
  await dialog.getByLabel(/^Fingerprint as the client reads it out/).fill(app2Key);
  await expect(dialog.getByRole('button', { name: 'Accept this key' })).toBeDisabled();
  await dialog.getByLabel(/^Reason/).fill('Server reinstalled on Tuesday; fingerprint read out by Hugo');
  await dialog.getByRole('button', { name: 'Accept this key' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByText(`app2: Overridden with ${app2Key}`)).toBeVisible();
  await expect(page.getByText('No host key waits for a decision.')).toBeVisible();

  // The next baseline gets through with the accepted key and the lab key profile.
  await expect.poll(async () => (await api.call('runs.get', { runId })).state.baseline['login-user@web1']?.status, { timeout: 30_000 }).toBeDefined();
  await api.call('runs.baseline.run', { runId, expectSeq: (await api.call('runs.get', { runId })).head.seq });
  await expect.poll(async () => (await api.call('runs.get', { runId })).state.hosts['app1']?.connected?.fingerprint, { timeout: 30_000 }).toBe(presented?.[2]);
  await expect.poll(async () => (await api.call('runs.get', { runId })).state.hosts['app2']?.connected?.fingerprint, { timeout: 30_000 }).toBe(app2Key);
  await nav('Overview').click();
  await expect(page.getByRole('table', { name: 'Hosts' })).toContainText(`connected: ${presented?.[1]} ${presented?.[2]}`);
  await shoot('overview-connected');
  expect(consoleErrors).toEqual([]);
});
