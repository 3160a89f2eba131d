// One attachment: a photo read from the core once and shown from a blob URL (revoked when the
// thumbnail goes, so a long list of photos does not hold their bytes twice), then its name, size
// and caption; other files show only those.
import { useEffect, useState } from 'react';
import { call } from '../../api/api';
import { formatBytes, t } from '../../i18n/t';
import { base64ToBytes } from '../base64';
import { isThumbnail } from './isThumbnail';

export interface AttachmentView {
  readonly id: string;
  readonly name: string;
  readonly mediaType: string;
  readonly size: number;
  readonly caption: string | null;
}

function usePhotoUrl(runId: string, attachment: AttachmentView): string | undefined {
  const [url, setUrl] = useState<string | undefined>(undefined);
  const wanted = isThumbnail(attachment);
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
      // No thumbnail is no loss: the name and size are still shown.
      () => undefined,
    );
    return () => {
      alive = false;
      if (made !== undefined) URL.revokeObjectURL(made);
    };
  }, [runId, attachment.id, attachment.size, wanted]);
  return url;
}

export function AttachmentThumbnail({ runId, attachment }: { readonly runId: string; readonly attachment: AttachmentView }) {
  const url = usePhotoUrl(runId, attachment);
  const size = formatBytes(attachment.size);
  return (
    <figure className="attachment">
      {url !== undefined && <img src={url} alt={t('attachments.thumbAlt', { name: attachment.name })} />}
      <figcaption>
        {attachment.caption === null || attachment.caption === ''
          ? t('attachments.meta', { name: attachment.name, size })
          : t('attachments.metaCaption', { name: attachment.name, size, caption: attachment.caption })}
      </figcaption>
    </figure>
  );
}
