// "Export signed report": signs and queues a bundle. A key that is missing or locked is not a
// dead end: the notice leads to Settings, where it is made or unlocked.
import { useState } from 'react';
import { call } from '../../api/api';
import { useNavigation } from '../../app/navigation';
import { ErrorNotice } from '../../components/states';
import { useAction } from '../../components/useAction';
import { t } from '../../i18n/t';
import { useRunStore } from '../../state/runStore';

const KEY_NOT_READY = new Set(['KEY_MISSING', 'KEY_LOCKED']);

export function ExportPanel({ runId, onExported }: { readonly runId: string; readonly onExported: () => void }) {
  const go = useNavigation((s) => s.go);
  const [done, setDone] = useState<number | undefined>(undefined);
  const { busy, failure, run: exportReport } = useAction(async () => {
    setDone(undefined);
    const answer = await call('reports.export', { runId });
    setDone(answer.exportSeq);
    onExported();
    await useRunStore.getState().refresh();
  });

  return (
    <div className="stack">
      <div className="row">
        <button type="button" className="primary" disabled={busy} onClick={() => void exportReport()}>
          {busy ? t('report.exporting') : t('report.export')}
        </button>
      </div>
      {done !== undefined && (
        <div className="notice ok row" role="status">
          <span>{t('report.exported', { seq: done })}</span>
          <button type="button" onClick={() => go('outbox')}>
            {t('report.goOutbox')}
          </button>
        </div>
      )}
      {failure !== undefined &&
        (KEY_NOT_READY.has(failure.code) ? (
          <div className="notice warn stack" role="alert">
            <p>{t('report.keyNotReady', { message: failure.message })}</p>
            <div className="row">
              <button type="button" className="primary" onClick={() => go('settings')}>
                {t('report.openSettings')}
              </button>
            </div>
          </div>
        ) : (
          <ErrorNotice error={failure} />
        ))}
    </div>
  );
}
