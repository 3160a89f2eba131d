// The explicit acknowledgement an unsigned or untrusted plan needs: what is wrong with the
// signature, and a note that says why the technician trusts it (journaled, shown in the report).
// Nothing is imported before the click. The note field takes the focus when the panel appears,
// so that keyboard and screen-reader users learn at once that the import stopped for them.
import { useId, useState } from 'react';
import { t, type MessageKey } from '../../i18n/t';
import type { AcknowledgeableStatus } from './planProblems';
import { SignatureBadge } from './SignatureBadge';

const ACK_TEXT: Readonly<Record<AcknowledgeableStatus, MessageKey>> = {
  unsigned: 'plans.ack.unsigned',
  'valid-untrusted': 'plans.ack.untrusted',
};

export interface AcknowledgeFormProps {
  readonly name: string;
  readonly status: AcknowledgeableStatus;
  readonly onConfirm: (note: string) => void;
  readonly onCancel: () => void;
}

export function AcknowledgeForm({ name, status, onConfirm, onCancel }: AcknowledgeFormProps) {
  const [note, setNote] = useState('');
  const id = useId();
  const ready = note.trim().length >= 3;
  return (
    <div className="notice warn stack" role="group" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('plans.ack.title')}</h3>
      <p>
        <SignatureBadge status={status} /> {t(ACK_TEXT[status], { name })}
      </p>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) onConfirm(note.trim());
        }}
      >
        <label htmlFor={`${id}-note`}>{t('plans.ack.note')}</label>
        <textarea id={`${id}-note`} rows={2} value={note} autoFocus onChange={(e) => setNote(e.target.value)} />
        <div className="row">
          <button type="submit" className="primary" disabled={!ready}>
            {t('plans.ack.confirm')}
          </button>
          <button type="button" onClick={onCancel}>
            {t('action.cancel')}
          </button>
        </div>
      </form>
    </div>
  );
}
