// The three states every screen has besides "ready": loading, error (what happened, its code, and
// a way to try again) and empty (what to do next).
import type { ReactNode } from 'react';
import { t } from '../i18n/t';

export function Loading({ what }: { readonly what?: string }) {
  return (
    <p role="status" aria-live="polite" className="muted">
      {what ?? t('state.loading')}
    </p>
  );
}

export function ErrorNotice({ error, onRetry }: { readonly error: { code: string; message: string }; readonly onRetry?: () => void }) {
  return (
    <div role="alert" className="notice fail">
      <p>{t('state.error', { message: error.message, code: error.code })}</p>
      {onRetry !== undefined && (
        <button type="button" onClick={onRetry}>
          {t('state.retry')}
        </button>
      )}
    </div>
  );
}

export function EmptyState({ title, children }: { readonly title: string; readonly children?: ReactNode }) {
  return (
    <div className="card">
      <h2>{title}</h2>
      {children}
    </div>
  );
}
