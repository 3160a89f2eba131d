import { escapeHtml as h } from '../content/escape';
import type { ReportModel } from '../content/reportModel';
import { INLINE_IMAGE_TYPES } from './mediaType';

// The attachments part of report.html: each photo or file under what it belongs to. A small photo
// is shown inline as a data: URL (the page's CSP allows images from data: and nothing else); any
// other file is named with its SHA-256 and its path in the bundle, where the reader finds it.

type ReportAttachment = ReportModel['attachments'][number];

const KIND_ORDER = { checklist: 0, step: 1, handover: 2 } as const;

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

function figure(a: ReportAttachment, images: ReadonlyMap<string, string> | undefined): string {
  const data = images?.get(a.sha256);
  // Only a sniffed image type and base64 characters reach the data: URL, so nothing can break out of the attribute.
  const img =
    data !== undefined && INLINE_IMAGE_TYPES.has(a.mediaType) && /^[A-Za-z0-9+/]+=*$/.test(data)
      ? `<img class="att" alt="${h(a.name)}" src="data:${a.mediaType};base64,${data}">`
      : '';
  const caption = a.caption === null ? '' : `<div>${h(a.caption)}</div>`;
  return `<figure id="att-${h(a.id)}">${img}<figcaption>${caption}<div><b>${h(a.name)}</b> · ${h(a.mediaType)} · ${h(sizeText(a.size))} · added ${h(a.addedUtc)}</div><div class="muted">file <code>${h(a.file)}</code><br>SHA-256 <code>${h(a.sha256)}</code></div></figcaption></figure>`;
}

/** The Attachments section, grouped by target (checklist, then steps, then handover); empty when there are none. */
export function attachmentsSectionHtml(attachments: readonly ReportAttachment[], images?: ReadonlyMap<string, string>): string {
  if (attachments.length === 0) return '';
  const groups = new Map<string, ReportAttachment[]>();
  const ordered = [...attachments].sort((a, b) => KIND_ORDER[a.target.kind] - KIND_ORDER[b.target.kind]);
  for (const a of ordered) groups.set(a.targetKey, [...(groups.get(a.targetKey) ?? []), a]);
  const parts = [...groups.values()].map((group) => `<h3>${h(group[0]?.targetLabel ?? '')}</h3>${group.map((a) => figure(a, images)).join('')}`);
  return `<h2>Attachments</h2>${parts.join('\n')}`;
}

/** A short pointer in a checklist, step or handover row to its attachments below. */
export function attachmentLinksHtml(attachments: readonly ReportAttachment[], key: string): string {
  const mine = attachments.filter((a) => a.targetKey === key);
  if (mine.length === 0) return '';
  return `<br><span class="muted">attached: ${mine.map((a) => `<a href="#att-${h(a.id)}">${h(a.name)}</a>`).join(', ')}</span>`;
}
