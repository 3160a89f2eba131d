// One attachment: a thumbnail for a photo (read from the core, shown from a blob URL), else its
// name, type and size.
import { useEffect, useState } from 'react';
import type { RunAttachment } from '../../../shared/run';
import { call } from '../../api/api';
import { base64ToBytes } from '../../components/base64';
import { formatBytes, t } from '../../i18n/t';

// A thumbnail reads the whole photo once; larger files are listed without one.
const MAX_THUMBNAIL_BYTES = 4 * 1024 * 1024;
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

function usePhotoUrl(runId: string, attachment: RunAttachment): string | undefined {
  const [url, setUrl] = useState<string | undefined>(undefined);
  const wanted = IMAGE_TYPES.has(attachment.mediaType) && attachment.size > 0 && attachment.size <= MAX_THUMBNAIL_BYTES;
  useEffect(() => {
    if (!wanted) return undefined;
    let alive = true;
    let made: string | undefined;
    call('runs.attachments.read', { runId, id: attachment.id, length: attachment.size }).then(
      (read) => {
        if (!alive) return;
        made = URL.createObjectURL(new Blob([base64ToBytes(read.data)], { type: read.mediaType }));
        setUrl(made);
      },
      () => undefined,
    );
    return () => {
      alive = false;
      if (made !== undefined) URL.revokeObjectURL(made);
    };
  }, [runId, attachment.id, attachment.size, wanted]);
  return url;
}

export function AttachmentThumb({ runId, attachment }: { readonly runId: string; readonly attachment: RunAttachment }) {
  const url = usePhotoUrl(runId, attachment);
  return (
    <li className="attachment">
      {url !== undefined && <img className="thumbnail" src={url} alt={t('handover.thumbnailAlt', { name: attachment.name })} />}
      <span>
        <span className="mono">{attachment.name}</span> <span className="muted">({formatBytes(attachment.size)})</span>
        {attachment.caption !== null && attachment.caption !== '' && <span> — {attachment.caption}</span>}
      </span>
    </li>
  );
}
