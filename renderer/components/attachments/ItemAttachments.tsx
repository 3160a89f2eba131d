// The photos and files attached to one checklist item, step or handover item, and adding one: the
// file goes to the core in chunks (files.upload.*), then runs.attachments.add journals it with its
// SHA-256 at the run's current position.
import { useId, useState } from 'react';
import { MAX_ATTACHMENT_BYTES } from '../../../shared/contract/attachments';
import type { AttachmentTarget } from '../../../shared/run';
import { call, errorText } from '../../api/api';
import { formatBytes, t } from '../../i18n/t';
import { retryOnceIfStale } from '../retryStale';
import { runAction, type RunActionFailure } from '../runAction';
import { ErrorNotice } from '../states';
import { discardUpload, uploadFile } from '../uploadFile';
import { AttachmentThumbnail, type AttachmentView } from './AttachmentThumbnail';
import './attachments.css';

export interface ItemAttachmentsProps {
  readonly runId: string;
  readonly target: AttachmentTarget;
  /** The item's or step's text, naming the list and the file input for screen readers. */
  readonly text: string;
  readonly attachments: readonly AttachmentView[];
}

export function ItemAttachments({ runId, target, text, attachments }: ItemAttachmentsProps) {
  const id = useId();
  const [caption, setCaption] = useState('');
  const [progress, setProgress] = useState<string | undefined>(undefined);
  const [failure, setFailure] = useState<RunActionFailure | undefined>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);

  const attach = async (file: File): Promise<void> => {
    setFailure(undefined);
    setDone(undefined);
    // Refused here rather than after sending it all: the core takes no attachment above the limit.
    if (file.size > MAX_ATTACHMENT_BYTES) {
      setFailure({ code: 'ATTACHMENT_TOO_LARGE', message: t('attachments.tooLarge', { name: file.name, size: formatBytes(file.size), limit: formatBytes(MAX_ATTACHMENT_BYTES) }) });
      return;
    }
    const typed = caption.trim();
    const sending = (sent: number, size: number): void => setProgress(t('attachments.uploading', { name: file.name, sent: formatBytes(sent), size: formatBytes(size) }));
    sending(0, file.size);
    try {
      const uploadId = await uploadFile(file, (p) => sending(p.sent, p.size));
      // When the run moved on while the file was being sent (runAction has refetched it), the
      // finished upload is attached at the new position rather than sent again.
      const failed = await retryOnceIfStale(() => runAction((expectSeq) => call('runs.attachments.add', { runId, expectSeq, target, uploadId, ...(typed === '' ? {} : { caption: typed }) })));
      setFailure(failed);
      // The caption is kept when the file was not attached, so that it need not be typed again;
      // the upload is not (another try sends the file anew).
      if (failed === undefined) {
        setCaption('');
        setDone(t('attachments.attached', { name: file.name }));
      } else await discardUpload(uploadId);
    } catch (error) {
      setFailure(errorText(error));
    } finally {
      setProgress(undefined);
    }
  };

  return (
    <div className="stack">
      {attachments.length === 0 ? (
        <p className="muted">{t('attachments.none')}</p>
      ) : (
        <ul className="attachments-list" aria-label={t('attachments.listLabel', { text })}>
          {attachments.map((a) => (
            <li key={a.id}>
              <AttachmentThumbnail runId={runId} attachment={a} />
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        <label htmlFor={`${id}-caption`}>{t('attachments.caption')}</label>
        <input id={`${id}-caption`} value={caption} maxLength={1000} onChange={(e) => setCaption(e.target.value)} />
        <label htmlFor={`${id}-file`}>{t('attachments.attach', { text })}</label>
        <input
          id={`${id}-file`}
          type="file"
          accept="image/*,application/pdf,text/plain"
          disabled={progress !== undefined}
          onChange={(e) => {
            const file = e.target.files?.[0];
            // Cleared at once, so that picking the same file again (after a failure) fires again.
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
      {done !== undefined && <p role="status">{done}</p>}
      {failure !== undefined && <ErrorNotice error={failure} />}
    </div>
  );
}
