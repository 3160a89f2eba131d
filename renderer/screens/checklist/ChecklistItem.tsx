// One rollout item: its text and help, whether it is ticked (when, with what note), the tick
// with an optional note, and its photos.
import { useId, useState } from 'react';
import type { MethodOutput } from '../../../shared/contract';
import { call } from '../../api/api';
import { runAction, type RunActionFailure } from '../../components/runAction';
import { ErrorNotice } from '../../components/states';
import { formatDateTime, t } from '../../i18n/t';
import type { ChecklistRow } from './checklistRows';
import { ItemAttachments } from '../../components/attachments/ItemAttachments';

type Attachment = MethodOutput<'runs.attachments.list'>['attachments'][number];

export interface ChecklistItemProps {
  readonly runId: string;
  readonly row: ChecklistRow;
  readonly attachments: readonly Attachment[] | undefined;
  readonly attachmentsError: { code: string; message: string } | undefined;
}

export function ChecklistItem({ runId, row, attachments, attachmentsError }: ChecklistItemProps) {
  const { item, tick } = row;
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<RunActionFailure | undefined>(undefined);
  const id = useId();

  const submit = async (): Promise<void> => {
    setBusy(true);
    const failed = await runAction((expectSeq) => call('runs.checklist.tick', { runId, expectSeq, itemId: item.id, ...(note.trim() === '' ? {} : { note: note.trim() }) }));
    setFailure(failed);
    if (failed === undefined) setNote('');
    setBusy(false);
  };

  return (
    <li className="card stack" aria-labelledby={`${id}-text`}>
      <div className="row">
        <span className={tick === undefined ? 'badge neutral' : 'badge ok'}>{tick === undefined ? (item.required ? t('checklist.required') : t('checklist.optional')) : t('checklist.done')}</span>
        <strong id={`${id}-text`} className="prose">
          {item.text}
        </strong>
      </div>
      {item.help !== undefined && <p className="muted prose">{item.help}</p>}
      {tick !== undefined ? (
        <p>
          {tick.note === '' ? t('checklist.ticked', { time: formatDateTime(tick.timeUtc) }) : t('checklist.tickedWithNote', { time: formatDateTime(tick.timeUtc), note: tick.note })}
        </p>
      ) : (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (!busy) void submit();
          }}
        >
          <label htmlFor={`${id}-note`} className="visually-hidden">
            {t('checklist.note', { text: item.text })}
          </label>
          <input id={`${id}-note`} className="checklist-note" value={note} maxLength={4000} placeholder={t('checklist.note', { text: item.text })} onChange={(e) => setNote(e.target.value)} />
          <button type="submit" className="primary" disabled={busy} aria-label={t('checklist.tickLabel', { text: item.text })}>
            {t('checklist.tick')}
          </button>
        </form>
      )}
      {failure !== undefined && <ErrorNotice error={failure} />}
      <h3 className="visually-hidden">{t('checklist.photos')}</h3>
      {attachmentsError !== undefined ? (
        <p className="notice warn">{t('checklist.attachmentsError', attachmentsError)}</p>
      ) : (
        <ItemAttachments runId={runId} target={{ kind: 'checklist', itemId: item.id }} text={item.text} attachments={attachments ?? []} />
      )}
    </li>
  );
}
