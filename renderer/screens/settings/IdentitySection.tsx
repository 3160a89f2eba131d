// The technician's signing identity: create it on first use, unlock it each session, and show the
// public key, fingerprint and allowed_signers line with copy buttons for head office.
import { useQuery } from '../../api/useQuery';
import { CopyButton } from '../../components/CopyButton';
import { ErrorNotice, Loading } from '../../components/states';
import { t } from '../../i18n/t';
import { CreateIdentity, UnlockIdentity } from './IdentityForms';

function Field({ label, value }: { readonly label: string; readonly value: string | null }) {
  if (value === null) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd className="row">
        <span className="mono key-value">{value}</span>
        <CopyButton value={value} label={label} />
      </dd>
    </>
  );
}

export function IdentitySection() {
  const { state, value, reload } = useQuery('identity.get', {});
  return (
    <section className="card stack" aria-labelledby="settings-identity-h">
      <h2 id="settings-identity-h">{t('settings.identity')}</h2>
      <p className="muted">{t('settings.identityIntro')}</p>
      {value === undefined ? (
        state.status === 'error' ? (
          <ErrorNotice error={state} onRetry={reload} />
        ) : (
          <Loading />
        )
      ) : (
        <>
          <p className={value.state === 'ready' ? 'notice ok' : 'notice warn'} role="status">
            {t(`settings.identity.${value.state}`)} {t(`settings.store.${value.storeKind}`)}
          </p>
          {value.state === 'missing' && <CreateIdentity storeKind={value.storeKind} onDone={reload} />}
          {value.state === 'locked' && <UnlockIdentity onDone={reload} />}
          <dl className="key-facts">
            {value.technician !== null && (
              <>
                <dt>{t('settings.technician')}</dt>
                <dd>{value.technician}</dd>
              </>
            )}
            <Field label={t('settings.fingerprint')} value={value.fingerprint} />
            <Field label={t('settings.publicKey')} value={value.publicKey} />
            <Field label={t('settings.allowedSigners')} value={value.allowedSignersLine} />
          </dl>
        </>
      )}
    </section>
  );
}
