// The photos and files attached to one handover item, and adding one: the file goes to the core in
// chunks (files.upload.*), then runs.attachments.add journals it with its SHA-256.
import { useId, useRef, useState } from 'react';
import type { RunAttachment } from '../../../shared/run';
import { call, errorText } from '../../api/api';
import { uploadFile } from '../../components/uploadFile';
import { retryOnceIfStale } from '../../components/retryStale';
import { runAction, type RunActionFailure } from '../../components/runAction';
import { ErrorNotice } from '../../components/states';
import { formatBytes, t } from '../../i18n/t';
import { AttachmentThumb } from './AttachmentThumb';

export interface ItemAttachmentsProps {
  readonly runId: string;
  readonly itemId: string;
  readonly itemText: string;
  readonly attachments: readonly RunAttachment[];
}

export function ItemAttachments({ runId, itemId, itemText, attachments }: ItemAttachmentsProps) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [caption, setCaption] = useState('');
  const [progress, setProgress] = useState<{ sent: number; total: number } | undefined>(undefined);
  const [failure, setFailure] = useState<RunActionFailure | undefined>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);

  const attach = async (file: File): Promise<void> => {
    setFailure(undefined);
    setDone(undefined);
    setProgress({ sent: 0, total: file.size });
    let failed: RunActionFailure | undefined;
    try {
      const uploadId = await uploadFile(file, (p) => setProgress({ sent: p.sent, total: p.size }));
      // Named after the upload, so the position is the run's as it is now, not at the click.
      // Attaching decides nothing on what the technician saw, so a run that moved meanwhile is no reason to ask again.
      failed = await retryOnceIfStale(() =>
        runAction((expectSeq) =>
          call('runs.attachments.add', { runId, expectSeq, target: { kind: 'handover', itemId }, uploadId, ...(caption.trim() === '' ? {} : { caption: caption.trim() }) }),
        ),
      );
    } catch (error) {
      failed = errorText(error);
    }
    setProgress(undefined);
    setFailure(failed);
    if (failed === undefined) {
      setDone(t('handover.attached', { name: file.name }));
      setCaption('');
    }
    if (input.current !== null) input.current.value = '';
  };

  return (
    <div className="stack">
      {attachments.length === 0 ? (
        <p className="muted">{t('handover.noAttachments')}</p>
      ) : (
        <ul className="attachments" aria-label={t('handover.attachments', { item: itemText })}>
          {attachments.map((a) => (
            <AttachmentThumb key={a.id} runId={runId} attachment={a} />
          ))}
        </ul>
      )}
      <div className="row">
        <label htmlFor={`${id}-caption`}>{t('handover.captionLabel')}</label>
        <input id={`${id}-caption`} value={caption} onChange={(e) => setCaption(e.target.value)} maxLength={1000} />
        <label htmlFor={`${id}-file`}>{t('handover.attach')}</label>
        <input
          id={`${id}-file`}
          ref={input}
          type="file"
          disabled={progress !== undefined}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file !== undefined) void attach(file);
          }}
        />
      </div>
      {progress !== undefined && (
        <p role="status">
          {t('handover.uploading', { sent: formatBytes(progress.sent), total: formatBytes(progress.total) })}
        </p>
      )}
      {done !== undefined && <p role="status">{done}</p>}
      {failure !== undefined && <ErrorNotice error={failure} />}
    </div>
  );
}
