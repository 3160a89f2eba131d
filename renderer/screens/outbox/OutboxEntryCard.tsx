// One exported report in the outbox: state, attempts, next attempt, where head office keeps it,
// the last error with what to fix, "Retry" once it failed for good, and a conflict explained.
import { useId, useState } from 'react';
import type { MethodOutput } from '../../../shared/contract';
import { call, errorText } from '../../api/api';
import { useNavigation } from '../../app/navigation';
import { ErrorNotice } from '../../components/states';
import { formatBytes, formatDateTime, t } from '../../i18n/t';
import { explanationKey, fixKey, pointsToSettings, STATE_BADGE, stateLabelKey } from './outboxAdvice';
import { relativeTime } from './relativeTime';

type Entry = MethodOutput<'outbox.list'>['entries'][number];

/** `runLabel`: the run's label when it has one (the technician knows runs by label, not by id). */
export function OutboxEntryCard({ entry, now, runLabel }: { readonly entry: Entry; readonly now: number; readonly runLabel: string | undefined }) {
  const id = useId();
  const go = useNavigation((s) => s.go);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ code: string; message: string } | undefined>(undefined);
  const fix = entry.lastError === null ? undefined : fixKey(entry.lastError.code);
  const size = entry.files.reduce((sum, f) => sum + f.size, 0);

  const retry = async (): Promise<void> => {
    setBusy(true);
    setFailure(undefined);
    try {
      await call('outbox.retry', { id: entry.id });
    } catch (error) {
      setFailure(errorText(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="card stack outbox-entry" aria-labelledby={`${id}-h`}>
      <div className="row">
        <h3 id={`${id}-h`}>{t('outbox.entryTitle', { runId: runLabel ?? entry.runId, seq: entry.exportSeq })}</h3>
        <span className={`badge ${STATE_BADGE[entry.state]}`}>{t(stateLabelKey(entry.state))}</span>
      </div>
      <p className={entry.state === 'conflict' ? 'notice warn' : entry.state === 'failed-permanently' ? 'notice fail' : 'muted'}>{t(explanationKey(entry.state))}</p>
      <p className="row">
        <span>{t('outbox.createdAt', { time: formatDateTime(entry.createdAt) })}</span>
        <span>{t('outbox.attempts', { count: entry.attempts })}</span>
        {entry.nextAttemptAt !== null && entry.state !== 'delivered' && (
          <span>{Date.parse(entry.nextAttemptAt) <= now ? t('outbox.nextAttemptDue') : t('outbox.nextAttempt', { when: relativeTime(entry.nextAttemptAt, now) })}</span>
        )}
        {entry.deliveredAt !== null && <span>{t('outbox.deliveredAt', { time: formatDateTime(entry.deliveredAt) })}</span>}
      </p>
      <p className="muted">
        {t('outbox.files', { count: entry.files.length, size: formatBytes(size) })} · <span className="mono">{t('outbox.remotePath', { path: entry.remotePath })}</span>
      </p>
      {entry.lastError !== null && entry.state !== 'delivered' && (
        <div className="stack">
          <p>{t('outbox.lastError', { message: entry.lastError.message, code: entry.lastError.code })}</p>
          {fix !== undefined && <p>{t(fix)}</p>}
          {pointsToSettings(entry.lastError.code) && (
            <div className="row">
              <button type="button" onClick={() => go('settings')}>
                {t('outbox.setUpHeadOffice')}
              </button>
            </div>
          )}
        </div>
      )}
      {entry.state === 'failed-permanently' && (
        <div className="row">
          <button type="button" className="primary" disabled={busy} onClick={() => void retry()} aria-describedby={`${id}-h`}>
            {busy ? t('outbox.retrying') : t('outbox.retry')}
          </button>
        </div>
      )}
      {failure !== undefined && <ErrorNotice error={failure} />}
    </li>
  );
}
