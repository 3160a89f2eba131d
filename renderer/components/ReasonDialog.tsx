// A decision that needs a written reason (waive, skip, exclude, roll back, ad-hoc, edit): a modal
// <dialog> (focus kept inside, Esc cancels) whose confirm button stays disabled until a reason is
// written. Nothing happens on the server until the technician clicks confirm.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { t } from '../i18n/t';

export interface ReasonDialogProps {
  readonly title: string;
  readonly confirmLabel: string;
  /** What will happen, shown above the reason. */
  readonly children?: ReactNode;
  readonly danger?: boolean;
  /** Resolves when done; a rejection is shown in the dialog and keeps it open. */
  readonly onConfirm: (reason: string) => Promise<void>;
  readonly onClose: () => void;
}

export function ReasonDialog({ title, confirmLabel, children, danger, onConfirm, onClose }: ReasonDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const id = useId();

  useEffect(() => {
    const d = dialog.current;
    if (d !== null && !d.open) d.showModal();
    // Closing (not just unmounting) gives focus back to the control that opened the dialog.
    return () => d?.close();
  }, []);

  const submit = (): void => {
    if (reason.trim() === '' || busy) return;
    setBusy(true);
    setError(undefined);
    onConfirm(reason.trim()).then(
      () => onClose(),
      (e: unknown) => {
        setBusy(false);
        setError(e instanceof Error ? e.message : String(e));
      },
    );
  };

  return (
    <dialog
      ref={dialog}
      aria-labelledby={`${id}-title`}
      className="card"
      onCancel={(e) => {
        // Esc while the request runs would hide its outcome: wait for it.
        e.preventDefault();
        if (!busy) onClose();
      }}
    >
      <form
        method="dialog"
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <h2 id={`${id}-title`}>{title}</h2>
        {children}
        <label htmlFor={`${id}-reason`}>{t('reason.label')}</label>
        <textarea id={`${id}-reason`} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} required autoFocus />
        {error !== undefined && (
          <p role="alert" className="notice fail">
            {error}
          </p>
        )}
        <div className="row">
          <button type="submit" className={danger === true ? 'danger' : 'primary'} disabled={reason.trim() === '' || busy}>
            {confirmLabel}
          </button>
          <button type="button" onClick={onClose} disabled={busy}>
            {t('action.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
