import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from '@playwright/test';
import { parse, stringify } from 'yaml';
import { parsePlan, type Plan } from '../../shared/plan';
import { foldRun, type RecordedEvent } from '../../shared/run';
import { renderReportHtml } from '../../electron/core/report/content/reportHtml';
import { buildReport } from '../../electron/core/report/content/reportModel';

// report.html as the client's manager sees it: rendered by a real browser engine, printed to PDF,
// and inert — markup in plan text, notes and command output is shown as text, never run.

const CANARY = '<script>window.__fieldrunCanary = 1</script><img src=x onerror="window.__fieldrunCanary = 2">';
const ARTIFACTS = resolve('test-results/artifacts');
let work: string;

test.beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'fieldrun-report-html-'));
  mkdirSync(ARTIFACTS, { recursive: true });
});
test.afterAll(() => rmSync(work, { recursive: true, force: true }));

function canaryPlan(): Plan {
  const doc = parse(readFileSync(resolve('resources/plans/example-plan/plan.yaml'), 'utf8')) as { metadata: Record<string, string>; steps: Array<Record<string, unknown>> };
  doc.metadata['title'] = `Shop rollout ${CANARY}`;
  for (const step of doc.steps) step['title'] = `${String(step['title'])} ${CANARY}`;
  const parsed = parsePlan(stringify(doc), { fileName: 'plan.yaml' });
  if (!parsed.ok) throw new Error(`plan did not parse: ${JSON.stringify(parsed.problems[0])}`);
  return parsed.plan;
}

function journal(...events: Array<[string, unknown]>): RecordedEvent[] {
  return events.map(([type, payload], index) => ({ runId: 'r1', seq: index + 1, timeUtc: new Date(Date.UTC(2026, 11, 5, 21, 0, index * 10)).toISOString(), type, payload, hash: `h${index + 1}` }));
}

test('report.html renders in Chromium as text only, prints to PDF, and no script runs', async ({ page }) => {
  const events = journal(
    ['run.created', { planHash: 'b'.repeat(64) }],
    ['checklist.ticked', { itemId: 'backup-confirmed', note: CANARY }],
    ['baseline.result', { checkId: 'os-supported', host: 'web1', status: 'fail', expected: 'debian >= 12', found: CANARY, summary: `found ${CANARY}`, command: 'c', exitCode: 1, stdoutExcerpt: '', stderrExcerpt: '', durationMs: 3 }],
    ['baseline.waived', { checkId: 'os-supported', host: 'web1', reason: `accepted ${CANARY}` }],
    ['run.phase', { phase: 'deploy' }],
    ['step.started', { stepId: 'announce', host: 'web1', attempt: 1, execId: 'e1', action: 'run', streams: { stdout: 's1', stderr: 's2' } }],
    ['step.ended', { stepId: 'announce', host: 'web1', attempt: 1, outcome: { kind: 'exited', code: 0 } }],
  );
  const report = buildReport(
    { plan: canaryPlan(), planHash: 'b'.repeat(64), state: foldRun(events), technician: { name: 'tech@example.com', keyFingerprint: 'SHA256:abc' }, appVersion: 'test', generatedAt: '2026-12-05T22:00:00.000Z' },
    new Map(events.map((e) => [e.seq, e.timeUtc])),
  );
  const html = renderReportHtml({ report, excerpts: new Map([['s1', { head: `output ${CANARY}\x1b]52;c;Y2xpcA==\x07`, tail: '', omittedLines: 0 }]]) });
  const file = join(work, 'report.html');
  writeFileSync(file, html);

  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(pathToFileURL(file).href);
  await expect(page.getByText('Shop rollout <script>window.__fieldrunCanary = 1</script>', { exact: false }).first()).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __fieldrunCanary?: number }).__fieldrunCanary)).toBeUndefined();
  expect(await page.locator('script').count()).toBe(0);
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(dialogs).toEqual([]);

  await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
  await page.pdf({ path: join(ARTIFACTS, 'report.pdf'), format: 'A4', printBackground: true });
  expect(readFileSync(join(ARTIFACTS, 'report.pdf')).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(statSync(join(ARTIFACTS, 'report.png')).size).toBeGreaterThan(10_000);
});
