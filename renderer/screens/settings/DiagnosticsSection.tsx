// A diagnostics file for support (no secrets in it): where it was written, and its text to copy.
import { useId, useState } from 'react';
import type { MethodOutput } from '../../../shared/contract';
import { call } from '../../api/api';
import { CopyButton } from '../../components/CopyButton';
import { ErrorNotice } from '../../components/states';
import { t } from '../../i18n/t';
import { useAction } from '../../components/useAction';

export function DiagnosticsSection() {
  const id = useId();
  const [written, setWritten] = useState<MethodOutput<'diagnostics.export'> | undefined>(undefined);
  const write = useAction(async () => setWritten(await call('diagnostics.export', {})));
  return (
    <section className="card stack" aria-labelledby="settings-diag-h">
      <h2 id="settings-diag-h">{t('settings.diagnostics')}</h2>
      <p className="muted">{t('settings.diagnosticsIntro')}</p>
      <div className="row">
        <button type="button" disabled={write.busy} onClick={() => void write.run()}>
          {write.busy ? t('settings.exportingDiagnostics') : t('settings.exportDiagnostics')}
        </button>
      </div>
      {write.failure !== undefined && <ErrorNotice error={write.failure} />}
      {written !== undefined && (
        <div className="stack">
          <p role="status" className="row">
            <span className="mono">{t('settings.diagnosticsPath', { path: written.path })}</span>
            <CopyButton value={written.path} label={t('settings.diagnostics')} />
          </p>
          <label htmlFor={`${id}-text`}>{t('settings.diagnosticsText')}</label>
          <textarea id={`${id}-text`} className="mono" rows={10} readOnly value={written.text} />
          <div className="row">
            <CopyButton value={written.text} label={t('settings.diagnosticsText')} />
          </div>
        </div>
      )}
    </section>
  );
}
