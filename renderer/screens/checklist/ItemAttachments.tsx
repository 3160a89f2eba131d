// Photos and files of one checklist item: the list (thumbnails) and adding one (uploaded in
// chunks, then attached at the run's current journal position).
import { useId, useState } from 'react';
import type { MethodOutput } from '../../../shared/contract';
import { MAX_ATTACHMENT_BYTES } from '../../../shared/contract/attachments';
import { call, errorText } from '../../api/api';
import { retryOnceIfStale } from '../../components/retryStale';
import { runAction, type RunActionFailure } from '../../components/runAction';
import { ErrorNotice } from '../../components/states';
import { discardUpload, uploadFile } from '../../components/uploadFile';
import { formatBytes, t } from '../../i18n/t';
import { AttachmentThumbnail } from './AttachmentThumbnail';

type Attachment = MethodOutput<'runs.attachments.list'>['attachments'][number];

export function ItemAttachments({ runId, itemId, text, attachments }: { readonly runId: string; readonly itemId: string; readonly text: string; readonly attachments: readonly Attachment[] }) {
  const [caption, setCaption] = useState('');
  const [progress, setProgress] = useState<string | undefined>(undefined);
  const [failure, setFailure] = useState<RunActionFailure | undefined>(undefined);
  const id = useId();

  const attach = async (file: File): Promise<void> => {
    setFailure(undefined);
    // Refused here rather than after sending it all: the core takes no attachment above the limit.
    if (file.size > MAX_ATTACHMENT_BYTES) {
      setFailure({ code: 'ATTACHMENT_TOO_LARGE', message: t('checklist.tooLarge', { name: file.name, size: formatBytes(file.size), limit: formatBytes(MAX_ATTACHMENT_BYTES) }) });
      return;
    }
    const typed = caption.trim();
    try {
      const uploadId = await uploadFile(file, ({ sent, size }) => setProgress(t('checklist.uploading', { name: file.name, sent: formatBytes(sent), size: formatBytes(size) })));
      // When the run moved on while the file was being sent (runAction has refetched it), the
      // finished upload is attached at the new position rather than sent again.
      const failed = await retryOnceIfStale(() =>
        runAction((expectSeq) => call('runs.attachments.add', { runId, expectSeq, target: { kind: 'checklist', itemId }, uploadId, ...(typed === '' ? {} : { caption: typed }) })),
      );
      setFailure(failed);
      // The caption is kept when the photo was not attached, so that it need not be typed again;
      // the upload is not (another try sends the file anew).
      if (failed === undefined) setCaption('');
      else await discardUpload(uploadId);
    } catch (error) {
      setFailure(errorText(error));
    } finally {
      setProgress(undefined);
    }
  };

  return (
    <div className="stack checklist-attachments">
      {attachments.length === 0 ? (
        <p className="muted">{t('checklist.noPhoto')}</p>
      ) : (
        <ul aria-label={t('checklist.photosLabel', { text })} className="row">
          {attachments.map((a) => (
            <li key={a.id}>
              <AttachmentThumbnail runId={runId} attachment={a} />
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        <label htmlFor={`${id}-caption`}>{t('checklist.caption')}</label>
        <input id={`${id}-caption`} value={caption} maxLength={1000} onChange={(e) => setCaption(e.target.value)} />
        <label htmlFor={`${id}-file`}>{t('checklist.attach', { text })}</label>
        <input
          id={`${id}-file`}
          type="file"
          accept="image/*,application/pdf,text/plain"
          disabled={progress !== undefined}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file !== undefined) void attach(file);
          }}
        />
      </div>
      {progress !== undefined && (
        <p role="status" aria-live="polite">
          {progress}
        </p>
      )}
      {failure !== undefined && <ErrorNotice error={failure} />}
    </div>
  );
}
