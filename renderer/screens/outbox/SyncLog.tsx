// The sync log, newest first: the first page follows outbox.changed; older pages load on demand.
import { useState } from 'react';
import { call, errorText } from '../../api/api';
import { useQuery } from '../../api/useQuery';
import { ErrorNotice, Loading } from '../../components/states';
import { formatDateTime, t } from '../../i18n/t';
import { mergeLogPages, type LogRecord } from './syncLogPages';

const PAGE = 50;

export function SyncLog() {
  const first = useQuery('outbox.log', { limit: PAGE }, { refreshOn: ['outbox.changed'] });
  const [older, setOlder] = useState<LogRecord[]>([]);
  const [end, setEnd] = useState(false);
  const [failure, setFailure] = useState<{ code: string; message: string } | undefined>(undefined);

  if (first.value === undefined) {
    return first.state.status === 'error' ? <ErrorNotice error={first.state} onRetry={first.reload} /> : <Loading />;
  }
  const records = mergeLogPages(first.value.records, older);
  const last = records[records.length - 1];

  const loadOlder = async (): Promise<void> => {
    if (last === undefined) return;
    setFailure(undefined);
    try {
      const page = await call('outbox.log', { beforeId: last.id, limit: PAGE });
      setOlder((o) => [...o, ...page.records]);
      if (page.records.length < PAGE) setEnd(true);
    } catch (error) {
      setFailure(errorText(error));
    }
  };

  if (records.length === 0) return <p className="muted">{t('outbox.logEmpty')}</p>;
  return (
    <div className="stack">
      <table className="sync-log" aria-label={t('outbox.log')}>
        <tbody>
          {records.map((r) => (
            <tr key={r.id}>
              <td className="muted">{formatDateTime(r.at)}</td>
              <td>{r.outboxId === null ? '' : t('outbox.logEntry', { id: r.outboxId })}</td>
              <td className="mono">{r.event}</td>
              <td>{r.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {failure !== undefined && <ErrorNotice error={failure} />}
      {end || first.value.records.length < PAGE ? (
        <p className="muted">{t('outbox.logEnd')}</p>
      ) : (
        <div className="row">
          <button type="button" onClick={() => void loadOlder()}>
            {t('outbox.logOlder')}
          </button>
        </div>
      )}
    </div>
  );
}
