// One handover item: its text and help, whether it is required, when it was ticked with the
// client and the note; or the note and the button to tick it; and its attachments.
import { useId, useState } from 'react';
import type { PlanChecklistItem } from '../../../shared/plan';
import type { ChecklistTick, RunAttachment } from '../../../shared/run';
import { call } from '../../api/api';
import { runAction, type RunActionFailure } from '../../components/runAction';
import { ErrorNotice } from '../../components/states';
import { formatDateTime, t } from '../../i18n/t';
import { ItemAttachments } from '../../components/attachments/ItemAttachments';

export interface HandoverItemCardProps {
  readonly runId: string;
  readonly item: PlanChecklistItem;
  readonly tick: ChecklistTick | undefined;
  readonly canTick: boolean;
  /** The site's IANA zone: times are shown as the client lived them. */
  readonly timeZone: string;
  readonly attachments: readonly RunAttachment[];
}

export function HandoverItemCard({ runId, item, tick, canTick, timeZone, attachments }: HandoverItemCardProps) {
  const id = useId();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<RunActionFailure | undefined>(undefined);

  const submit = async (): Promise<void> => {
    setBusy(true);
    setFailure(undefined);
    const failed = await runAction((expectSeq) => call('runs.handover.tick', { runId, expectSeq, itemId: item.id, ...(note.trim() === '' ? {} : { note: note.trim() }) }));
    setBusy(false);
    setFailure(failed);
  };

  return (
    <li className="card stack handover-item" aria-labelledby={`${id}-text`}>
      <div className="row">
        <span className={tick !== undefined ? 'badge ok' : 'badge neutral'}>
          <span aria-hidden="true">{tick !== undefined ? '✓' : '○'}</span>
          <span className="visually-hidden">{tick !== undefined ? t('handover.isTicked') : t('handover.notTicked')}</span>
        </span>
        <strong id={`${id}-text`}>{item.text}</strong>
        <span className={item.required ? 'badge info' : 'badge neutral'}>{item.required ? t('handover.required') : t('handover.optional')}</span>
      </div>
      {item.help !== undefined && <p className="muted">{item.help}</p>}
      {tick !== undefined ? (
        <div>
          <p>{t('handover.ticked', { time: formatDateTime(tick.timeUtc, timeZone) })}</p>
          {tick.note !== '' && <p className="muted">{t('handover.note', { note: tick.note })}</p>}
        </div>
      ) : (
        canTick && (
          <form
            className="stack"
            onSubmit={(e) => {
              e.preventDefault();
              if (!busy) void submit();
            }}
          >
            <label htmlFor={`${id}-note`}>{t('handover.noteLabel')}</label>
            <textarea id={`${id}-note`} rows={2} value={note} placeholder={t('handover.notePlaceholder')} onChange={(e) => setNote(e.target.value)} maxLength={4000} />
            <div className="row">
              <button type="submit" className="primary" disabled={busy} aria-describedby={`${id}-text`}>
                {busy ? t('handover.ticking') : t('handover.tick')}
              </button>
            </div>
          </form>
        )
      )}
      {failure !== undefined && <ErrorNotice error={failure} />}
      <ItemAttachments runId={runId} target={{ kind: 'handover', itemId: item.id }} text={item.text} attachments={attachments} />
    </li>
  );
}
