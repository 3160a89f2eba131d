// Head office as configured (never its secret), the form to change it, and forgetting it.
import { useState } from 'react';
import { call } from '../../api/api';
import { useQuery } from '../../api/useQuery';
import { ErrorNotice, Loading } from '../../components/states';
import { formatDateTime, t } from '../../i18n/t';
import { HeadOfficeForm } from './HeadOfficeForm';
import { useAction } from '../../components/useAction';

function Forget({ onDone }: { readonly onDone: () => void }) {
  const [asking, setAsking] = useState(false);
  const clear = useAction(async () => {
    await call('headOffice.clear', {});
    setAsking(false);
    onDone();
  });
  return (
    <div className="stack">
      {asking ? (
        <div className="notice warn row" role="alert">
          <span>{t('settings.clearConfirm')}</span>
          <button type="button" className="danger" disabled={clear.busy} onClick={() => void clear.run()}>
            {t('action.confirm')}
          </button>
          <button type="button" onClick={() => setAsking(false)}>
            {t('action.cancel')}
          </button>
        </div>
      ) : (
        <div className="row">
          <button type="button" className="danger" onClick={() => setAsking(true)}>
            {t('settings.clearHeadOffice')}
          </button>
        </div>
      )}
      {clear.failure !== undefined && <ErrorNotice error={clear.failure} />}
    </div>
  );
}

export function HeadOfficeSection() {
  const { state, value, reload } = useQuery('headOffice.get', {});
  const settings = value?.settings ?? null;
  return (
    <section className="card stack" aria-labelledby="settings-ho-h">
      <h2 id="settings-ho-h">{t('settings.headOffice')}</h2>
      <p className="muted">{t('settings.headOfficeIntro')}</p>
      {value === undefined ? (
        state.status === 'error' ? (
          <ErrorNotice error={state} onRetry={reload} />
        ) : (
          <Loading />
        )
      ) : (
        <>
          {settings === null ? (
            <p className="notice info">{t('settings.headOfficeNone')}</p>
          ) : (
            <div className="notice info stack">
              <p>
                {t('settings.headOfficeCurrent', {
                  url: settings.baseUrl,
                  auth: settings.auth.kind === 'basic' ? `${t('settings.auth.basic')}: ${settings.auth.user ?? ''}` : t('settings.auth.bearer'),
                })}
              </p>
              <p>{settings.verifiedAt === null ? t('settings.headOfficeUnverified') : t('settings.headOfficeVerified', { time: formatDateTime(settings.verifiedAt) })}</p>
              {settings.hasCompanyCa && <p>{t('settings.headOfficeCa')}</p>}
            </div>
          )}
          <HeadOfficeForm current={settings} onSaved={reload} />
          {settings !== null && <Forget onDone={reload} />}
        </>
      )}
    </section>
  );
}
