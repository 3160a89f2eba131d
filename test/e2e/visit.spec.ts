import { mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startNginxPeer } from '../core/sync/nginx/nginxPeer';
import { startTestLab, type TestLab } from '../hosts';
import { startHostProcess, type HostProcess } from './hostProcess';
import { runToHandover, visitPlanDir } from './visitLab';
import { openScreen, publishScreenshot, shootBothThemes, verifyWithSshKeygen } from './visitPages';
import { createIdentity, exportAndVerify, PASSPHRASE, signOffBoth, TECHNICIAN, tickHandoverItems } from './visitSteps';

// A technician's visit in browser mode against the sshd lab, through the screens only, ending with
// the exported report checked by OpenSSH's own `ssh-keygen -Y verify`.

// A missing button fails in seconds, not at the end of the whole test's time.
test.use({ actionTimeout: 15_000 });

let lab: TestLab;
const cleanups: (() => Promise<void> | void)[] = [];
const listening = new WeakSet<Page>();

test.beforeAll(async () => {
  test.setTimeout(120_000);
  lab = await startTestLab({ hosts: ['web1', 'web2'] });
});

test.afterAll(async () => {
  for (const clean of cleanups.reverse()) await clean();
  await lab?.stop();
});

async function openHost(page: Page, dataDir: string): Promise<HostProcess> {
  const host = await startHostProcess(dataDir);
  cleanups.push(() => host.stop());
  // A screen that throws is caught by the frame; say what it was, or the failure reads as a missing button.
  if (!listening.has(page)) {
    listening.add(page);
    page.on('console', (m) => {
      if (m.type() === 'error') console.error(`page console: ${m.text()}`);
    });
  }
  await page.goto(host.url);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  return host;
}

test('the end of a visit: handover with both sign-offs; the report exported, verified by ssh-keygen, downloaded, delivered to head office (a conflict kept, never overwritten; a failed one retried); the key unlocked next session', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'fieldrun-visit-end-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  await runToHandover(lab, dataDir);
  const host = await openHost(page, dataDir);

  // No signing key yet: the export is refused, and the refusal leads to Settings.
  await openScreen(page, 'Report');
  await page.getByRole('button', { name: 'Export signed report' }).click();
  await expect(page.getByRole('alert')).toContainText('The report cannot be signed yet');
  await page.getByRole('button', { name: 'Set up or unlock your key in Settings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  const allowedSigners = await createIdentity(page);
  await shootBothThemes(page, testInfo, 'settings');

  await openScreen(page, 'Handover');
  await tickHandoverItems(page, { photo: true });
  await signOffBoth(page);
  await shootBothThemes(page, testInfo, 'handover');

  await page.getByRole('button', { name: 'Go to Report' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Report' })).toBeVisible();
  const box = page.getByRole('definition').filter({ hasText: /^\d+$/ });
  await expect(box).toHaveCount(5);
  await expect(page.getByRole('table', { name: 'Deviations from the plan' })).toContainText('the client keeps /etc/hostname');
  const { exported, bundleDir } = await exportAndVerify(page, 1);
  const firstArchive = (await exported.locator('dd').nth(1).textContent()) ?? '';

  const download = page.waitForEvent('download');
  await exported.getByRole('button', { name: 'Download' }).click();
  const saved = testInfo.outputPath((await download).suggestedFilename());
  await (await download).saveAs(saved);
  expect(statSync(saved).size).toBeGreaterThan(1024);
  await expect(exported.getByText(/^Downloaded fieldrun-report-/)).toBeVisible();
  await shootBothThemes(page, testInfo, 'report');

  expect(verifyWithSshKeygen(bundleDir, allowedSigners)).toContain(`Good "fieldrun-report" signature for ${TECHNICIAN}`);

  // A second export of the same run: its own number, its own folder at head office.
  await page.getByRole('button', { name: 'Export signed report' }).click();
  await expect(page.getByText('Export 2 signed and queued in the outbox.')).toBeVisible({ timeout: 30_000 });
  const secondArchive = (await page.getByRole('list', { name: 'Exports of this run' }).getByRole('listitem').filter({ hasText: 'Export 2' }).locator('dd').nth(1).textContent()) ?? '';

  await openScreen(page, 'Outbox');
  const entries = page.getByRole('list', { name: 'Reports in the outbox' }).getByRole('listitem');
  await expect(entries).toHaveCount(2);
  const firstEntry = entries.filter({ hasText: 'export 1' });
  const secondEntry = entries.filter({ hasText: 'export 2' });
  await expect(firstEntry.getByText('Queued', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByText('Head office is not set up: nothing was sent.')).toBeVisible();

  // Head office already holds a different file under the second export's name.
  const peer = await startNginxPeer({ folders: ['reports'] });
  cleanups.push(() => peer.stop());
  const remotePath = ((await secondEntry.getByText(/^At head office: /).textContent()) ?? '').replace(/^At head office: /, '');
  const theirs = 'a different report that head office already holds\n';
  const serverFile = join('reports', remotePath, secondArchive.split('/').at(-1)!);
  peer.placeFile(serverFile, theirs);
  // And the first export's archive is moved away on this laptop (a clean-up tool, a careless copy).
  renameSync(firstArchive, `${firstArchive}.away`);

  await openScreen(page, 'Settings');
  await page.getByLabel('Head-office URL').fill(`${peer.url}reports/`);
  await page.getByLabel('User', { exact: true }).fill(peer.user);
  await page.getByLabel('Password', { exact: true }).fill(peer.password);
  await page.getByRole('button', { name: 'Check and save' }).click();
  await expect(page.getByText('Saved: the setup check passed.')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('list', { name: 'Setup check results' }).getByRole('listitem').first()).toBeVisible();
  await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
  await shootBothThemes(page, testInfo, 'settings-head-office');

  // Trusted plan signers: a wrong line is refused with the core's reason; a right one is saved.
  const signers = page.getByRole('textbox', { name: 'allowed_signers' });
  await signers.fill('this is not an allowed_signers line');
  await page.getByRole('button', { name: 'Save trusted signers' }).click();
  await expect(page.getByRole('alert')).toContainText('ALLOWED_SIGNERS_INVALID');
  const headOfficeKey = allowedSigners.split(' ').slice(-2).join(' ');
  await signers.fill(`planner@example.com namespaces="fieldrun-plan" ${headOfficeKey}\n`);
  await page.getByRole('button', { name: 'Save trusted signers' }).click();
  await expect(page.getByText('Saved. Trusted signers: 1.')).toBeVisible();

  // Diagnostics for support leave every secret out: the head-office password, the key's passphrase.
  await page.getByRole('button', { name: 'Export diagnostics' }).click();
  const diagnostics = page.getByRole('textbox', { name: 'Diagnostics text' });
  await expect(diagnostics).not.toHaveValue('');
  await expect(page.getByText(/^Written to \//)).toBeVisible();
  const text = await diagnostics.inputValue();
  expect(text).not.toContain(peer.password);
  expect(text).not.toContain(PASSPHRASE);

  // The theme is chosen here and applies at once.
  await page.getByRole('radio', { name: 'High contrast' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'contrast');
  await page.screenshot({ path: testInfo.outputPath('settings-contrast.png') });
  await page.getByRole('radio', { name: 'As the system' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');

  await openScreen(page, 'Outbox');
  await expect(page.getByText('Online: head office answers.')).toBeVisible();
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(firstEntry.getByText('Failed', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(firstEntry).toContainText('SYNC_LOCAL_FILE_CHANGED');
  await expect(secondEntry.getByText('Conflict', { exact: true })).toBeVisible();
  await expect(secondEntry).toContainText('Nothing was overwritten: both copies are kept');
  await expect(secondEntry).toContainText('SYNC_CONFLICT');
  expect(readFileSync(join(peer.davRoot, serverFile), 'utf8')).toBe(theirs);
  await expect(page.getByRole('table', { name: 'Sync log' })).toContainText('conflict');
  publishScreenshot((await shootBothThemes(page, testInfo, 'outbox')).light, 'outbox');

  // The archive is back: Retry queues it again and the next round delivers it.
  renameSync(`${firstArchive}.away`, firstArchive);
  await firstEntry.getByRole('button', { name: 'Retry' }).click();
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(firstEntry.getByText('Delivered', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(secondEntry.getByText('Conflict', { exact: true })).toBeVisible();

  // The next session (the app restarted): the key is locked until its passphrase is typed again.
  await host.stop();
  await openHost(page, dataDir);
  // A finished run is not reopened on its own: the technician opens it from Plans.
  await page.getByRole('button', { name: 'Open run visit e2e' }).click();
  await openScreen(page, 'Report');
  await page.getByRole('button', { name: 'Export signed report' }).click();
  await expect(page.getByRole('alert')).toContainText('The report cannot be signed yet');
  await page.getByRole('button', { name: 'Set up or unlock your key in Settings' }).click();
  await expect(page.getByText('Your key is locked.')).toBeVisible();
  await page.getByLabel('Passphrase (at least 8 characters)').fill('not the passphrase');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toContainText('KEY_PASSPHRASE_WRONG');
  await page.getByLabel('Passphrase (at least 8 characters)').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByText('Ready to sign reports.')).toBeVisible();
  await openScreen(page, 'Report');
  await page.getByRole('button', { name: 'Export signed report' }).click();
  await expect(page.getByText('Export 3 signed and queued in the outbox.')).toBeVisible({ timeout: 30_000 });
});

/** On Overview: acknowledges every yellow flag not yet acknowledged (as a technician who read them). */
async function acknowledgeFlags(page: Page): Promise<void> {
  const flags = page.getByRole('list', { name: 'Yellow flags' }).getByRole('checkbox');
  const count = await flags.count();
  if (count === 0) return;
  for (let i = 0; i < count; i++) if (!(await flags.nth(i).isDisabled())) await flags.nth(i).check();
  await page.getByLabel(/^Note \(who you spoke to/).fill('Read with the head-office planner on the phone.');
  await page.getByRole('button', { name: 'Acknowledge selected flags' }).click();
  await expect(page.getByText('Every yellow flag is acknowledged.')).toBeVisible();
}

test('a whole visit through the screens: import, flags, connect with one key confirmed, checklist, baseline with a waiver, deploy with a retried failure and a manual step, handover signed by both, report verified by ssh-keygen', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'fieldrun-visit-whole-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const planDir = visitPlanDir(lab);
  cleanups.push(() => rmSync(planDir, { recursive: true, force: true }));
  const plan = join(planDir, 'plan.yaml');
  await openHost(page, dataDir);
  await expect(page.getByRole('heading', { level: 1, name: 'Plans' })).toBeVisible();

  // First use of the laptop: the signing key, so that the report can be signed at the end.
  await openScreen(page, 'Settings');
  const allowedSigners = await createIdentity(page);

  await openScreen(page, 'Plans');
  await page.getByLabel('Choose a plan file or archive').setInputFiles(plan);
  await page.getByLabel(/^Why you trust this plan/).fill('Handed over by the head-office planner on a USB key.');
  await page.getByRole('button', { name: 'Import with this note' }).click();
  await expect(page.getByText(/^Imported “Roll out Example Shop 2\.4\.1”/)).toBeVisible();
  await page.getByLabel('Label for a new run (optional)').fill('night visit');
  await shootBothThemes(page, testInfo, 'plans');
  await page.getByRole('button', { name: 'Start a run of Roll out Example Shop 2.4.1' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await acknowledgeFlags(page);
  await shootBothThemes(page, testInfo, 'overview');

  await openScreen(page, 'Connect');
  await page.getByLabel('Profile name').fill('lab key');
  await page.getByRole('radio', { name: 'Private key file' }).check();
  await page.getByLabel('Key file path (on this laptop)').fill(lab.user.privateKeyPath);
  await page.getByRole('radio', { name: 'All hosts' }).check();
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByText('Profile lab key saved.')).toBeVisible();

  await openScreen(page, 'Checklist', 'Rollout checklist');
  const tick = page.getByRole('list', { name: 'Checklist items' }).getByRole('button', { name: /^Tick “/ });
  for (let left = await tick.count(); left > 0; left = await tick.count()) {
    await tick.first().click();
    await expect(tick).toHaveCount(left - 1);
  }
  await expect(page.getByText('Every required item is ticked: the baseline can run.')).toBeVisible();
  await shootBothThemes(page, testInfo, 'checklist');

  // The baseline connects the hosts; web2's key is not pinned by the plan, so it is asked about.
  await openScreen(page, 'Baseline');
  await page.getByRole('button', { name: 'Run baseline', exact: true }).click();
  await openScreen(page, 'Connect');
  const question = page.getByRole('list', { name: 'Host key questions' }).getByRole('group', { name: 'web2' });
  await expect(question).toContainText(lab.host('web2').hostKeys[0]!.fingerprint.slice(0, 20), { timeout: 30_000 });
  await shootBothThemes(page, testInfo, 'connect');
  await question.getByRole('button', { name: 'Trust the key of web2' }).click();
  await expect(page.getByText('No host key waits for a decision.')).toBeVisible();

  // Its checks could not run before the key was trusted: they run again now.
  await openScreen(page, 'Baseline');
  await page.getByRole('button', { name: 'Rerun failed', exact: true }).click();
  const failing = page.getByRole('grid', { name: 'Baseline checks by host' }).getByLabel('No /etc/hostname (fails on purpose) on web2: failed');
  await expect(failing).toBeVisible({ timeout: 60_000 });
  await failing.click();
  await page.getByRole('button', { name: 'Waive…' }).click();
  const waive = page.getByRole('dialog', { name: 'Waive No /etc/hostname (fails on purpose) on web2' });
  await waive.getByLabel('Reason (required; it goes into the report)').fill('The client keeps /etc/hostname on purpose.');
  await waive.getByRole('button', { name: 'Waive', exact: true }).click();
  await expect(page.getByText('The baseline is clear: every check passed or was waived.')).toBeVisible({ timeout: 30_000 });
  publishScreenshot((await shootBothThemes(page, testInfo, 'baseline')).light, 'baseline');

  // Flags that the baseline raised are read before anything changes on a server.
  await openScreen(page, 'Overview');
  await acknowledgeFlags(page);

  await openScreen(page, 'Deploy');
  await page.getByRole('button', { name: 'Start deployment' }).click();
  const waiting = page.getByRole('region', { name: 'Waiting for you' });
  await expect(waiting.getByText('A step failed: decide what to do')).toBeVisible({ timeout: 60_000 });
  await shootBothThemes(page, testInfo, 'deploy-failure');
  await waiting.getByRole('button', { name: 'Retry', exact: true }).click();
  await expect(waiting.getByText('Manual step: do this, then confirm')).toBeVisible({ timeout: 60_000 });
  await expect(waiting).toContainText('Open the shop dashboard with the client');
  await waiting.getByLabel('Note (optional; it goes into the report)').fill('Orders flow on the dashboard.');
  await waiting.getByRole('button', { name: 'Done', exact: true }).click();
  await expect(page.getByText('Deployment is over: the run is in handover.')).toBeVisible({ timeout: 60_000 });
  publishScreenshot((await shootBothThemes(page, testInfo, 'deploy')).light, 'deploy');

  await openScreen(page, 'Handover');
  await tickHandoverItems(page, { photo: false });
  await signOffBoth(page);
  await shootBothThemes(page, testInfo, 'handover');

  await page.getByRole('button', { name: 'Go to Report' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Report' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Deviations from the plan' })).toContainText('The client keeps /etc/hostname on purpose.');
  const { bundleDir } = await exportAndVerify(page, 1);
  publishScreenshot((await shootBothThemes(page, testInfo, 'report')).light, 'report');
  expect(verifyWithSshKeygen(bundleDir, allowedSigners)).toContain(`Good "fieldrun-report" signature for ${TECHNICIAN}`);

  await openScreen(page, 'Outbox');
  await expect(page.getByRole('list', { name: 'Reports in the outbox' }).getByRole('listitem')).toHaveCount(1);
  await shootBothThemes(page, testInfo, 'outbox');
  await openScreen(page, 'Settings');
  await shootBothThemes(page, testInfo, 'settings');
});
