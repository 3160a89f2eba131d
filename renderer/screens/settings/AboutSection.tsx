// The app's version, where its data lives and how much disk is left there.
import { useQuery } from '../../api/useQuery';
import { ErrorNotice, Loading } from '../../components/states';
import { formatBytes, t } from '../../i18n/t';

export function AboutSection() {
  const { state, value, reload } = useQuery('system.status', {});
  return (
    <section className="card stack" aria-labelledby="settings-about-h">
      <h2 id="settings-about-h">{t('settings.about')}</h2>
      {value === undefined ? (
        state.status === 'error' ? (
          <ErrorNotice error={state} onRetry={reload} />
        ) : (
          <Loading />
        )
      ) : (
        <dl className="key-facts">
          <dt>{t('settings.version')}</dt>
          <dd className="mono">{value.appVersion}</dd>
          <dt>{t('settings.dataDir')}</dt>
          <dd className="mono">{value.dataDir}</dd>
          <dt>{t('settings.diskFree')}</dt>
          <dd>
            {formatBytes(value.diskFreeBytes)} — <span className={value.diskLow ? 'badge fail' : 'badge ok'}>{value.diskLow ? t('settings.diskLow') : t('settings.diskOk')}</span>
          </dd>
        </dl>
      )}
    </section>
  );
}
