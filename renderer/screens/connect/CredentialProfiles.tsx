// The credential profiles of this session: what each is and what it applies to (never a
// secret), removing one, and adding one.
import { useId, useState } from 'react';
import { call, errorText } from '../../api/api';
import { useQuery } from '../../api/useQuery';
import { ErrorNotice, Loading } from '../../components/states';
import { t } from '../../i18n/t';
import { CredentialForm } from './CredentialForm';
import { scopeOf } from './credentialForm';

export function CredentialProfiles() {
  const profiles = useQuery('credentials.list', {});
  const [error, setError] = useState<{ code: string; message: string } | undefined>(undefined);
  const id = useId();

  const remove = (name: string): void => {
    setError(undefined);
    call('credentials.remove', { name })
      .then(() => profiles.reload())
      .catch((e: unknown) => setError(errorText(e)));
  };

  return (
    <section className="card stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('connect.profiles.title')}</h2>
      <p className="muted">{t('connect.profiles.hint')}</p>
      {profiles.state.status === 'loading' && <Loading />}
      {profiles.state.status === 'error' && <ErrorNotice error={profiles.state} onRetry={profiles.reload} />}
      {profiles.state.status === 'ready' &&
        (profiles.state.value.profiles.length === 0 ? (
          <p className="notice info">{t('connect.profiles.empty')}</p>
        ) : (
          <ul aria-label={t('connect.profiles.label')} className="connect-list">
            {profiles.state.value.profiles.map((p) => {
              const scope = scopeOf(p.appliesTo);
              return (
                <li key={p.name} className="row">
                  <strong>{p.name}</strong>
                  <span className="badge neutral">{t(`connect.profiles.kind.${p.kind}`)}</span>
                  {p.where !== null && <span className="mono">{p.where}</span>}
                  <span className="muted">{t(scope.key, scope.params)}</span>
                  <button type="button" aria-label={t('connect.profiles.removeLabel', { name: p.name })} onClick={() => remove(p.name)}>
                    {t('connect.profiles.remove')}
                  </button>
                </li>
              );
            })}
          </ul>
        ))}
      {error !== undefined && <ErrorNotice error={error} />}
      <CredentialForm onSaved={profiles.reload} />
    </section>
  );
}
