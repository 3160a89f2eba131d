// Photos and files of one checklist item: the list (thumbnails) and adding one (uploaded in
// chunks, then attached at the run's current journal position).
import { useId, useState } from 'react';
import type { MethodOutput } from '../../../shared/contract';
import { call, errorText } from '../../api/api';
import { runAction, type RunActionFailure } from '../../components/runAction';
import { ErrorNotice } from '../../components/states';
import { uploadFile } from '../../components/uploadFile';
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
    try {
      const uploadId = await uploadFile(file, ({ sent, size }) => setProgress(t('checklist.uploading', { name: file.name, sent: formatBytes(sent), size: formatBytes(size) })));
      setFailure(
        await runAction((expectSeq) =>
          call('runs.attachments.add', { runId, expectSeq, target: { kind: 'checklist', itemId }, uploadId, ...(caption.trim() === '' ? {} : { caption: caption.trim() }) }),
        ),
      );
      setCaption('');
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
