// A photo attached to an item, read from the core once and shown from a data: URL (the CSP
// allows data: images); other files show their name and size only.
import { useEffect, useState } from 'react';
import { call } from '../../api/api';
import { formatBytes, t } from '../../i18n/t';
import { isThumbnail } from './checklistRows';

interface Attachment {
  readonly id: string;
  readonly name: string;
  readonly mediaType: string;
  readonly size: number;
  readonly caption: string | null;
}

export function AttachmentThumbnail({ runId, attachment }: { readonly runId: string; readonly attachment: Attachment }) {
  const [src, setSrc] = useState<string | undefined>(undefined);
  const thumbnail = isThumbnail(attachment);
  useEffect(() => {
    if (!thumbnail) return;
    let alive = true;
    call('runs.attachments.read', { runId, id: attachment.id })
      .then((r) => {
        if (alive) setSrc(`data:${r.mediaType};base64,${r.data}`);
      })
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [runId, attachment.id, thumbnail]);
  return (
    <figure className="checklist-attachment">
      {src !== undefined && <img src={src} alt={t('checklist.thumbAlt', { name: attachment.name })} />}
      <figcaption>
        {attachment.caption === null
          ? t('checklist.attachmentMeta', { name: attachment.name, size: formatBytes(attachment.size) })
          : t('checklist.attachmentMetaCaption', { name: attachment.name, size: formatBytes(attachment.size), caption: attachment.caption })}
      </figcaption>
    </figure>
  );
}
