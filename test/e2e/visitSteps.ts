// Steps of the visit that both visit specs take through the screens: the signing key made in
// Settings, the handover ticked and signed (one signature drawn with the mouse), and an export.
import { expect, type Locator, type Page } from '@playwright/test';
import { drawSignature, TINY_PNG } from './visitPages';

export const TECHNICIAN = 'alex.durand@example.com';
export const PASSPHRASE = 'correct horse battery';

/** On Settings with no key yet: makes it (passphrase-file store, as browser mode has no keychain); answers its allowed_signers line. */
export async function createIdentity(page: Page): Promise<string> {
  await expect(page.getByText('No signing key yet')).toBeVisible();
  await page.getByLabel('Your name (on every report)').fill(TECHNICIAN);
  await page.getByLabel('Passphrase (at least 8 characters)').fill(PASSPHRASE);
  await page.getByLabel('Passphrase again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create my signing key' }).click();
  await expect(page.getByText('Ready to sign reports.')).toBeVisible();
  const line = page.locator('dd', { has: page.getByRole('button', { name: 'Copy allowed_signers line for head office' }) }).locator('.mono');
  await expect(line).toContainText('namespaces="fieldrun-report"');
  return (await line.textContent()) ?? '';
}

/** On Handover: ticks every required item (the first with a note and, if asked, a photo). */
export async function tickHandoverItems(page: Page, options: { readonly photo: boolean }): Promise<void> {
  const open = page.getByRole('list', { name: 'Handover items' }).getByRole('listitem').filter({ has: page.getByRole('button', { name: 'Tick with the client' }) });
  const first = open.first();
  if (options.photo) {
    await first.getByLabel('Caption (optional)').fill('Dashboard after the release');
    await first.getByLabel('Attach a photo or file').setInputFiles({ name: 'dashboard.png', mimeType: 'image/png', buffer: TINY_PNG });
    await expect(page.getByRole('img', { name: 'Photo: dashboard.png' })).toBeVisible();
  }
  await first.getByLabel('Note for the report (optional)').fill('The client placed a test order.');
  await first.getByRole('button', { name: 'Tick with the client' }).click();
  await expect(page.getByText('Ticked with the client at').first()).toBeVisible();
  // The remaining required items; optional ones may stay open.
  for (let left = await open.count(); left > 0; left = await open.count()) {
    const item = open.first();
    if ((await item.getByText('optional', { exact: true }).count()) > 0) break;
    await item.getByRole('button', { name: 'Tick with the client' }).click();
    await expect(open).toHaveCount(left - 1);
  }
}

/** On Handover: the technician signs by typed name (the keyboard way), the client by drawing too. */
export async function signOffBoth(page: Page): Promise<void> {
  const technician = page.getByRole('region', { name: 'Sign-off: technician' });
  await expect(technician.getByLabel('Full name')).toHaveValue(TECHNICIAN);
  // Keyboard only: Enter in the form signs; no drawing needed.
  await technician.getByLabel('Job title (optional)').fill('Field technician');
  await technician.getByLabel('Job title (optional)').press('Enter');
  await expect(technician.getByText(`Signed by ${TECHNICIAN}`)).toBeVisible();

  const client = page.getByRole('region', { name: 'Sign-off: client-operations' });
  await client.getByLabel('Full name').fill('Claire Martin');
  await client.getByLabel('Job title (optional)').fill('Client operations manager');
  await drawSignature(page, client.getByRole('img', { name: 'Signature pad for client-operations' }));
  await expect(client.getByText('A drawn signature will be attached.')).toBeVisible();
  await client.getByRole('button', { name: 'Sign off as client-operations' }).click();
  await expect(client.getByRole('img', { name: 'Signature drawn by Claire Martin' })).toBeVisible();
  await expect(page.getByText('Handover complete: the run is done.')).toBeVisible();
}

/** On Report: exports, verifies in the app, and answers the export's card and its bundle folder. */
export async function exportAndVerify(page: Page, seq: number): Promise<{ readonly exported: Locator; readonly bundleDir: string }> {
  await page.getByRole('button', { name: 'Export signed report' }).click();
  await expect(page.getByText(`Export ${seq} signed and queued in the outbox.`)).toBeVisible({ timeout: 30_000 });
  const exported = page.getByRole('list', { name: 'Exports of this run' }).getByRole('listitem').filter({ hasText: `Export ${seq}` });
  await exported.getByRole('button', { name: 'Verify' }).click();
  await expect(exported.getByText('Verified: the signature, every file and the journal chain check out.')).toBeVisible();
  await expect(exported.getByRole('list', { name: `Verification of export ${seq}` }).getByRole('listitem').first()).toBeVisible();
  return { exported, bundleDir: (await exported.locator('dd').first().locator('.mono').textContent()) ?? '' };
}
