// The explicit acknowledgement an unsigned or untrusted plan needs: a note that says why the
// technician trusts it (journaled, shown in the report). Nothing is imported before the click.
import { useId, useState } from 'react';
import { t } from '../../i18n/t';

export function AcknowledgeForm({ onConfirm, onCancel }: { readonly onConfirm: (note: string) => void; readonly onCancel: () => void }) {
  const [note, setNote] = useState('');
  const id = useId();
  const ready = note.trim().length >= 3;
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) onConfirm(note.trim());
      }}
    >
      <label htmlFor={`${id}-note`}>{t('plans.ack.note')}</label>
      <textarea id={`${id}-note`} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      <div className="row">
        <button type="submit" className="primary" disabled={!ready}>
          {t('plans.ack.confirm')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('action.cancel')}
        </button>
      </div>
    </form>
  );
}
