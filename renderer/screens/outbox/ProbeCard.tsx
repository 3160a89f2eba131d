// Is head office reachable now, and is this laptop's clock close to the server's? Checked when
// the screen opens and on demand (never in the background: it costs a request on a metered link).
import { useNavigation } from '../../app/navigation';
import { useQuery } from '../../api/useQuery';
import { ErrorNotice } from '../../components/states';
import { t } from '../../i18n/t';
import { skewText } from './relativeTime';

export function ProbeCard() {
  const go = useNavigation((s) => s.go);
  const { state, value, reload } = useQuery('sync.probe', {});
  return (
    <section className="card stack" aria-labelledby="outbox-probe-h">
      <h2 id="outbox-probe-h">{t('outbox.probe')}</h2>
      {state.status === 'error' && <ErrorNotice error={state} />}
      {value === undefined ? (
        state.status === 'loading' && <p role="status">{t('outbox.probeChecking')}</p>
      ) : !value.configured ? (
        <div className="row">
          <span className="badge neutral">{t('outbox.notConfigured')}</span>
          <button type="button" onClick={() => go('settings')}>
            {t('outbox.setUpHeadOffice')}
          </button>
        </div>
      ) : (
        <div className="stack" role="status">
          <p>
            <span className={value.online ? 'badge ok' : 'badge warn'}>{value.online ? t('outbox.online') : t('outbox.offline')}</span>
          </p>
          {value.error !== undefined && <p className="muted">{t('outbox.lastError', { message: value.error.message, code: value.error.code })}</p>}
          {value.clockSkewMs !== null &&
            (value.skewTooLarge ? <p className="notice warn">{t('outbox.skew', { skew: skewText(value.clockSkewMs) })}</p> : <p className="muted">{t('outbox.skewOk', { skew: skewText(value.clockSkewMs) })}</p>)}
        </div>
      )}
      <div className="row">
        <button type="button" onClick={reload}>
          {t('outbox.checkAgain')}
        </button>
      </div>
    </section>
  );
}
