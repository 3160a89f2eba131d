// Copies one value (a phone number, a fingerprint) in one click, and says so.
import { useState } from 'react';
import { t } from '../i18n/t';

export function CopyButton({ value, label }: { readonly value: string; readonly label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      aria-label={`${t('action.copy')} ${label}`}
      onClick={() => {
        void navigator.clipboard.writeText(value).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        });
      }}
    >
      {copied ? t('action.copied') : t('action.copy')}
    </button>
  );
}
