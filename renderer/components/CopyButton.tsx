// Copies one value (a phone number, a fingerprint) in one click, and says so.
import { useState } from 'react';
import { t } from '../i18n/t';

export function CopyButton({ value, label }: { readonly value: string; readonly label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const show = (next: 'copied' | 'failed'): void => {
    setState(next);
    setTimeout(() => setState('idle'), 2000);
  };
  return (
    <span className="copy-button">
      <button
        type="button"
        aria-label={`${t('action.copy')} ${label}`}
        onClick={() => {
          navigator.clipboard.writeText(value).then(
            () => show('copied'),
            () => show('failed'),
          );
        }}
      >
        {t('action.copy')}
      </button>
      <span role="status" className="muted">
        {state === 'copied' ? t('action.copied') : state === 'failed' ? t('action.copyFailed') : ''}
      </span>
    </span>
  );
}
