// Head office's trusted plan signers as allowed_signers text; the core checks it before saving
// and its message says which line is wrong.
import { useEffect, useId, useState } from 'react';
import { call } from '../../api/api';
import { useQuery } from '../../api/useQuery';
import { ErrorNotice, Loading } from '../../components/states';
import { t } from '../../i18n/t';
import { useAction } from '../../components/useAction';

export function PlanSignersSection() {
  const id = useId();
  const { state, value, reload } = useQuery('planSigners.get', {});
  const [text, setText] = useState<string | undefined>(undefined);
  const [saved, setSaved] = useState<number | undefined>(undefined);
  useEffect(() => {
    if (value !== undefined) setText((current) => current ?? value.allowedSigners);
  }, [value]);
  const save = useAction(async () => {
    setSaved(undefined);
    const { count } = await call('planSigners.set', { allowedSigners: text ?? '' });
    setSaved(count);
    reload();
  });
  return (
    <section className="card stack" aria-labelledby="settings-signers-h">
      <h2 id="settings-signers-h">{t('settings.planSigners')}</h2>
      <p className="muted">{t('settings.planSignersIntro')}</p>
      {value === undefined || text === undefined ? (
        state.status === 'error' ? (
          <ErrorNotice error={state} onRetry={reload} />
        ) : (
          <Loading />
        )
      ) : (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            if (!save.busy) void save.run();
          }}
        >
          <label htmlFor={`${id}-text`}>{t('settings.planSignersLabel')}</label>
          <textarea id={`${id}-text`} className="mono" rows={5} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
          <p className="muted">{t('settings.planSignersCount', { count: value.count })}</p>
          {save.failure !== undefined && <ErrorNotice error={save.failure} />}
          {saved !== undefined && (
            <p className="notice ok" role="status">
              {t('settings.planSignersSaved', { count: saved })}
            </p>
          )}
          <div className="row">
            <button type="submit" className="primary" disabled={save.busy}>
              {save.busy ? t('settings.saving') : t('settings.savePlanSigners')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
