import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parsePlan, type Plan } from '../../../../shared/plan';
import { foldRun, type RecordedEvent } from '../../../../shared/run';
import { renderBaselineJunit } from '../../../../electron/core/report/content/baselineJunit';
import { EXCERPT_END_CHARS, excerptOf } from '../../../../electron/core/report/content/outputExcerpt';
import { REPORT_CSP, renderReportHtml } from '../../../../electron/core/report/content/reportHtml';
import { buildReport } from '../../../../electron/core/report/content/reportModel';
import { canonicalJson } from '../../../../shared/canonicalJson';

// The report's content as pure functions of a plan and a journal: what a reader of report.json,
// report.html and baseline.junit.xml relies on, without SSH.

const CANARY = '<script>alert(1)</script><img src=x onerror=alert(2)>';
const HASH = 'b'.repeat(64);

function examplePlan(): Plan {
  const doc = parse(readFileSync(join(import.meta.dirname, '../../../../resources/plans/example-plan/plan.yaml'), 'utf8')) as { metadata: Record<string, string>; steps: Array<Record<string, unknown>> };
  doc.metadata['title'] = `Shop ${CANARY}`;
  for (const step of doc.steps) step['title'] = `${String(step['title'])} ${CANARY}`;
  const parsed = parsePlan(stringify(doc), { fileName: 'plan.yaml' });
  if (!parsed.ok) throw new Error(`example plan did not parse: ${JSON.stringify(parsed.problems[0])}`);
  return parsed.plan;
}

function journal(...events: Array<[string, unknown]>): RecordedEvent[] {
  return events.map(([type, payload], index) => ({ runId: 'r1', seq: index + 1, timeUtc: new Date(Date.UTC(2026, 11, 5, 21, 0, index * 10)).toISOString(), type, payload, hash: `h${index + 1}` }));
}

const cell = (checkId: string, host: string, status: string): [string, unknown] => [
  'baseline.result',
  { checkId, host, status, expected: 'x', found: `y ${CANARY}\u0001`, summary: `s ${CANARY}`, command: 'c', exitCode: 1, stdoutExcerpt: '', stderrExcerpt: '', durationMs: 3 },
];

const events = journal(
  ['run.created', { planHash: HASH }],
  ['checklist.ticked', { itemId: 'backup-confirmed', note: CANARY }],
  ['host.clock', { host: 'db1', hostEpochS: 100, laptopEpochS: 200, skewS: -100, flagged: true }],
  cell('os-supported', 'web1', 'pass'),
  cell('root-space', 'web1', 'fail'),
  cell('db-memory', 'db1', 'error'),
  ['baseline.waived', { checkId: 'root-space', host: 'web1', reason: `ok ${CANARY}` }],
  ['run.phase', { phase: 'deploy' }],
  ['step.started', { stepId: 'announce', host: 'web1', attempt: 1, execId: 'e1', action: 'run', streams: { stdout: 's1', stderr: 's2' } }],
  ['step.ended', { stepId: 'announce', host: 'web1', attempt: 1, outcome: { kind: 'exited', code: 0 } }],
  ['step.started', { stepId: 'prepare', host: 'web1', attempt: 1, execId: 'e2', action: 'run' }],
  ['step.ended', { stepId: 'prepare', host: 'web1', attempt: 1, outcome: { kind: 'unknown', reason: 'the link dropped' } }],
  ['step.skipped', { stepId: 'backup-db', host: 'db1', reason: `no time ${CANARY}` }],
  ['step.edited', { stepId: 'stop-app', run: 'true', reason: 'service renamed' }],
);

describe('report content', () => {
  const plan = examplePlan();
  const times = new Map(events.map((e) => [e.seq, e.timeUtc]));
  const report = buildReport({ plan, planHash: HASH, state: foldRun(events), technician: { name: 'tech@example.com', keyFingerprint: 'SHA256:abc' }, appVersion: '1.0.0', generatedAt: '2026-12-05T22:00:00.000Z' }, times);

  it('scores the run, lists unknown steps and every deviation with its reason', () => {
    expect(report.summary).toEqual({ passed: 2, failed: 1, waived: 1, skipped: 1, unknown: 1 });
    expect(report.unknownSteps).toEqual(['prepare@web1']);
    expect(report.deviations.map((d) => [d.kind, d.subject])).toEqual([
      ['clock-skew', 'db1'],
      ['waiver', 'root-space@web1'],
      ['skip', 'backup-db@db1'],
      ['step-edit', 'stop-app'],
    ]);
    expect(report.timeline.find((t) => t.stepId === 'announce')).toMatchObject({ exitCode: 0, durationMs: 10_000 });
    expect(report.timeSpan.startSite).toContain('Europe/Paris');
    expect(report.journal).toEqual({ headSeq: events.length, headHash: `h${events.length}` });
    // Canonical JSON of the same inputs is the same bytes: the signed body is reproducible.
    expect(canonicalJson(report)).toBe(canonicalJson(buildReport({ plan, planHash: HASH, state: foldRun(events), technician: { name: 'tech@example.com', keyFingerprint: 'SHA256:abc' }, appVersion: '1.0.0', generatedAt: '2026-12-05T22:00:00.000Z' }, times)));
  });

  it('renders HTML that runs no script: markup in plan text, notes and output shows as text', () => {
    const excerpts = new Map([['s1', { head: CANARY, tail: '', omittedLines: 0 }]]);
    const html = renderReportHtml({ report, excerpts, signatures: new Map([['technician', '"><script>x</script>']]) });
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`);
    expect(html).not.toMatch(/<script|<img src=x/i);
    expect(html.split('&lt;script&gt;alert(1)&lt;/script&gt;').length).toBeGreaterThan(5);
    expect(html).toContain('@media print');
    expect(html).not.toMatch(/src="https?:|href="https?:/);
  });

  it('writes JUnit with one testcase per host and check: failures, errors, waivers as skipped', () => {
    const xml = renderBaselineJunit(report);
    expect(xml).toContain('tests="3" failures="0" errors="1" skipped="1"');
    expect(xml).toMatch(/name="root-space">\s*<skipped message="waived: ok &lt;script&gt;/);
    expect(xml).toMatch(/name="db-memory">\s*<error message="s &lt;script&gt;/);
    expect(xml).not.toContain('\u0001');
    expect(xml).not.toMatch(/<script|<img /);
  });

  it('excerpts the first and last lines of any output, reading only its ends', () => {
    const big = Buffer.from(Array.from({ length: 200_000 }, (_, i) => `row ${i}`).join('\n') + '\n');
    let read = 0;
    const reader = { length: () => big.length, read: (_s: string, offset: number, length: number) => ((read += length), big.subarray(offset, offset + length)) };
    const excerpt = excerptOf(reader, 'out');
    expect(excerpt.head.split('\n')).toEqual(Array.from({ length: 10 }, (_, i) => `row ${i}`));
    expect(excerpt.tail.split('\n').at(-1)).toBe('row 199999');
    expect(read).toBeLessThan(64 * 1024);
  });

  it('excerpts output without line breaks (a progress bar redrawn with \\r, minified JSON) stays a few lines of bounded width', () => {
    const progress = Buffer.from(Array.from({ length: 5000 }, (_, i) => `\rcopying ${i} of 5000 ${'#'.repeat(i % 60)}`).join('') + '\rdone\n');
    const bar = excerptOf({ length: () => progress.length, read: (_s, offset, length) => progress.subarray(offset, offset + length) }, 'out');
    expect(bar.tail.split('\n').at(-1)).toBe('done');
    expect(bar.head.split('\n')[1]).toBe('copying 0 of 5000 ');
    const json = Buffer.from(JSON.stringify(Array.from({ length: 50_000 }, (_, i) => ({ i, name: `item ${i}` }))));
    const minified = excerptOf({ length: () => json.length, read: (_s, offset, length) => json.subarray(offset, offset + length) }, 'out');
    expect(minified.head.length + minified.tail.length).toBeLessThanOrEqual(2 * (EXCERPT_END_CHARS + 1));
    expect(minified.head.startsWith('[{"i":0,"name":"item 0"}')).toBe(true);
    expect(minified.head.endsWith('…')).toBe(true);
  });
});
