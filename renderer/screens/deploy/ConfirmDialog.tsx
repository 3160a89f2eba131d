// A yes/no question in a modal <dialog> (focus inside, Esc cancels): used for the second "yes" a
// rollback past the point of no return needs.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { t } from '../../i18n/t';

export interface ConfirmDialogProps {
  readonly title: string;
  readonly confirmLabel: string;
  readonly children?: ReactNode;
  readonly onConfirm: () => Promise<void>;
  readonly onClose: () => void;
}

export function ConfirmDialog({ title, confirmLabel, children, onConfirm, onClose }: ConfirmDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const id = useId();
  useEffect(() => {
    const d = dialog.current;
    if (d !== null && !d.open) d.showModal();
  }, []);
  const confirm = (): void => {
    setBusy(true);
    setError(undefined);
    onConfirm().then(onClose, (e: unknown) => {
      setBusy(false);
      setError(e instanceof Error ? e.message : String(e));
    });
  };
  return (
    <dialog ref={dialog} aria-labelledby={`${id}-title`} onCancel={onClose} className="card">
      <div className="stack">
        <h2 id={`${id}-title`}>{title}</h2>
        {children}
        {error !== undefined && (
          <p role="alert" className="notice fail">
            {error}
          </p>
        )}
        <div className="row">
          <button type="button" className="danger" disabled={busy} onClick={confirm}>
            {confirmLabel}
          </button>
          <button type="button" onClick={onClose} autoFocus>
            {t('action.cancel')}
          </button>
        </div>
      </div>
    </dialog>
  );
}
