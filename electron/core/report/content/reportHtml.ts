import type { ReportModel } from './reportModel';
import type { OutputExcerpt } from './outputExcerpt';
import { escapeHtml as h } from './escape';
import { attachmentLinksHtml, attachmentsSectionHtml } from '../attachments/attachmentsHtml';

// report.html: one self-contained page for the client's manager, readable on screen and on paper.
// The CSP forbids every script and remote resource; all text is escaped, so markup in a plan,
// an output or a note is shown as text, never run.

export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;color:#111;margin:2rem auto;max-width:60rem;padding:0 1rem}
h1{font-size:1.6rem;margin:0 0 .3rem}h2{font-size:1.15rem;border-bottom:1px solid #ccc;margin-top:1.8rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}.box{display:flex;gap:.6rem;flex-wrap:wrap}.box div{border:1px solid #999;padding:.4rem .8rem;min-width:6rem;text-align:center}
.box b{display:block;font-size:1.5rem}.pass,.succeeded{color:#05620f}.fail,.failed,.error{color:#a00}.unknown{color:#8a5a00}
pre{white-space:pre-wrap;word-break:break-all;background:#f7f7f7;border:1px solid #ddd;padding:.4rem;font-size:12px;margin:.2rem 0}
code{font-size:12px;word-break:break-all}.muted{color:#555}img.sig{max-height:6rem;border:1px solid #ccc}
h3{font-size:1rem;margin:1rem 0 .3rem}figure{margin:.4rem 0 .8rem;break-inside:avoid}img.att{display:block;max-width:100%;max-height:24rem;border:1px solid #ccc}
@media print{body{margin:0;max-width:none;font-size:11px}h2{break-after:avoid}tr,pre{break-inside:avoid}a{color:inherit}}
`;

export interface RenderInput {
  readonly report: ReportModel;
  /** Output excerpts by stream name (see outputExcerpt.ts). */
  readonly excerpts?: ReadonlyMap<string, OutputExcerpt>;
  /** Drawn sign-off images by role, as base64 PNG. */
  readonly signatures?: ReadonlyMap<string, string>;
  /** Attached photos shown inline, as base64 by SHA-256 (small images only; see bundleAttachments.ts). */
  readonly attachmentImages?: ReadonlyMap<string, string>;
}

const table = (head: readonly string[], rows: readonly string[][]): string =>
  rows.length === 0
    ? '<p class="muted">None.</p>'
    : `<table><thead><tr>${head.map((c) => `<th>${h(c)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;

function excerptHtml(label: string, excerpt: OutputExcerpt | undefined): string {
  if (excerpt === undefined || (excerpt.head === '' && excerpt.tail === '')) return '';
  const gap = excerpt.omittedLines === 0 ? '' : `<div class="muted">… ${excerpt.omittedLines > 0 ? `${excerpt.omittedLines} lines` : 'more'} in the bundle …</div>`;
  return `<div class="muted">${h(label)}</div><pre>${h(excerpt.head)}</pre>${gap}${excerpt.tail === '' ? '' : `<pre>${h(excerpt.tail)}</pre>`}`;
}

const duration = (ms: number | null): string => (ms === null ? '' : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

export function renderReportHtml(input: RenderInput): string {
  const r = input.report;
  const s = r.summary;
  const ex = (stream: string | undefined): OutputExcerpt | undefined => (stream === undefined ? undefined : input.excerpts?.get(stream));
  const title = `${r.plan.title} — ${r.site}`;
  const attached = (key: string): string => attachmentLinksHtml(r.attachments, key);
  const body = [
    `<h1>${h(title)}</h1>`,
    `<p>${h(r.client)} · run <code>${h(r.runId)}</code> · phase <b>${h(r.phase)}</b>${r.abortReason === null ? '' : ` — aborted: ${h(r.abortReason)}`}</p>`,
    `<div class="box">${(['passed', 'failed', 'waived', 'skipped', 'unknown'] as const).map((k) => `<div><b>${s[k]}</b>${k}</div>`).join('')}</div>`,
    r.unknownSteps.length === 0 ? '' : `<p class="unknown"><b>Outcome unknown:</b> ${r.unknownSteps.map(h).join(', ')}</p>`,
    '<h2>Summary</h2>',
    table(
      ['', ''],
      [
        ['Plan', `${h(r.plan.id)} version ${h(r.plan.version)}<br><code>sha256:${h(r.plan.hash)}</code>${r.plan.signature === null ? '' : `<br>${h(r.plan.signature)}`}`],
        ['Client / site', `${h(r.client)} / ${h(r.site)}`],
        ['Technician', `${h(r.technician.name)}<br><code>${h(r.technician.keyFingerprint)}</code>`],
        ['Time (site)', `${h(r.timeSpan.startSite ?? '')} → ${h(r.timeSpan.endSite ?? '')}`],
        ['Time (UTC)', `${h(r.timeSpan.startUtc ?? '')} → ${h(r.timeSpan.endUtc)}`],
        ['Fieldrun', h(r.appVersion)],
        ['Journal head', `#${r.journal.headSeq} <code>${h(r.journal.headHash)}</code>`],
      ],
    ),
    '<h2>Hosts</h2>',
    table(
      ['Host', 'Address', 'Host key seen', 'Pinned', 'Notes'],
      r.hosts.map((x) => [
        h(x.name),
        h(x.address),
        x.seen === null ? '<span class="muted">not connected</span>' : `<code>${h(`${x.seen.keyType} ${x.seen.fingerprint}`)}</code> (${h(x.seen.verdict)})`,
        x.pinned.map((p) => `<code>${h(p)}</code>`).join('<br>'),
        [...x.acceptedByTechnician.map((f) => `accepted on site: <code>${h(f)}</code>`), ...(x.excluded === null ? [] : [`excluded: ${h(x.excluded)}`])].join('<br>'),
      ]),
    ),
    '<h2>Rollout checklist</h2>',
    table(['Item', 'Ticked (UTC)', 'Note'], r.checklist.map((c) => [h(c.text) + attached(`checklist:${c.id}`), h(c.tickedUtc ?? (c.required ? 'NOT TICKED' : '—')), h(c.note)])),
    '<h2>Baseline</h2>',
    table(
      ['Check', 'Host', 'Verdict', 'Expected', 'Found'],
      r.baseline.map((b) => [h(b.title), h(b.host), `<span class="${h(b.status)}">${h(b.status)}</span>${b.waived === null ? '' : `<br>waived: ${h(b.waived)}`}`, h(b.expected), h(b.found)]),
    ),
    '<h2>Steps</h2>',
    table(
      ['Step', 'Host', 'Outcome', 'Started (UTC)', 'Duration', 'Output (start and end)'],
      r.timeline.map((t) => [
        `${h(t.title)}<br><code>${h(t.stepId)}</code>${t.attempt > 1 ? ` (attempt ${t.attempt})` : ''}${attached(`step:${t.stepId}`)}`,
        h(t.host),
        `<span class="${h(t.state)}">${h(t.state)}</span><br>${h(t.outcome)}`,
        h(t.startedUtc ?? ''),
        h(duration(t.durationMs)),
        excerptHtml('stdout', ex(t.streams?.stdout)) + excerptHtml('stderr', ex(t.streams?.stderr)),
      ]),
    ),
    r.rollbacks.length === 0 ? '' : `<h2>Rollbacks</h2>${table(['Step', 'Host', 'State', 'Outcome'], r.rollbacks.map((x) => [h(x.stepId), h(x.host), h(x.state), h(x.outcome)]))}`,
    r.adhoc.length === 0
      ? ''
      : `<h2>Commands run by hand</h2>${table(
          ['Host', 'Command', 'Reason', 'Outcome', 'Output'],
          r.adhoc.map((a) => [h(a.host), `<code>${h(a.command)}</code>`, h(a.reason), h(a.outcome), excerptHtml('stdout', ex(a.streams.stdout)) + excerptHtml('stderr', ex(a.streams.stderr))]),
        )}`,
    '<h2>Deviations</h2>',
    table(['Kind', 'Subject', 'Reason', 'When (UTC)'], r.deviations.map((d) => [h(d.kind), h(d.subject), h(d.reason), h(d.timeUtc)])),
    '<h2>Handover</h2>',
    table(['Item', 'Ticked (UTC)', 'Note'], r.handover.items.map((c) => [h(c.text) + attached(`handover:${c.id}`), h(c.tickedUtc ?? (c.required ? 'NOT TICKED' : '—')), h(c.note)])),
    table(
      ['Role', 'Meaning', 'Name', 'Signed (UTC)', 'Signature'],
      r.handover.signOffs.map((x) => {
        const png = input.signatures?.get(x.role);
        // Only base64 characters reach the data: URL, so it cannot break out of the attribute.
        const img = png !== undefined && /^[A-Za-z0-9+/]+=*$/.test(png) ? `<img class="sig" alt="signature" src="data:image/png;base64,${png}">` : '';
        return [h(x.role), h(x.meaning), h(x.name === null ? 'NOT SIGNED' : `${x.name}${x.title === null ? '' : `, ${x.title}`}`), h(x.signedUtc ?? ''), img];
      }),
    ),
    attachmentsSectionHtml(r.attachments, input.attachmentImages),
  ].join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(title)}</title>
<style>${STYLE}</style></head>
<body>
${body}
</body></html>
`;
}
