// Plans head office published under <base>/plans/. Shown only when head office answers: an
// error (not configured, unreachable) hides the section behind a one-line note.
import { useId, useState } from 'react';
import { call, errorText, UiError } from '../../api/api';
import { useQuery } from '../../api/useQuery';
import { ErrorNotice, Loading } from '../../components/states';
import { formatBytes, formatDateTime, t } from '../../i18n/t';
import { AcknowledgeForm } from './AcknowledgeForm';
import { signatureStatusOf, untrustedStatusOf, type AcknowledgeableStatus, type SignatureStatus } from './planProblems';
import { SignatureBadge } from './SignatureBadge';

type Outcome =
  | { readonly kind: 'ack'; readonly name: string; readonly status: AcknowledgeableStatus }
  | { readonly kind: 'done'; readonly name: string; readonly status: SignatureStatus | undefined }
  | { readonly kind: 'error'; readonly error: { code: string; message: string } };

export function HeadOfficePlans({ onImported }: { readonly onImported: () => void }) {
  const published = useQuery('headOffice.plans.list', {}, { refreshOn: ['plans.changed'] });
  const [busy, setBusy] = useState<string | undefined>(undefined);
  const [outcome, setOutcome] = useState<Outcome | undefined>(undefined);
  const id = useId();

  if (published.state.status === 'loading') return <Loading />;
  if (published.state.status === 'error') return <p className="muted">{t('plans.headOffice.hidden', { message: published.state.message })}</p>;

  const importPlan = (name: string, note?: string): void => {
    setBusy(name);
    setOutcome(undefined);
    call('headOffice.plans.import', { name, ...(note === undefined ? {} : { acknowledgeUntrusted: { note } }) })
      .then((r) => {
        setOutcome({ kind: 'done', name, status: signatureStatusOf(r.signatureStatus) });
        published.reload();
        onImported();
      })
      .catch((e: unknown) => {
        const status = e instanceof UiError ? untrustedStatusOf(e.code, e.details) : undefined;
        setOutcome(status !== undefined && note === undefined ? { kind: 'ack', name, status } : { kind: 'error', error: errorText(e) });
      })
      .finally(() => setBusy(undefined));
  };

  const plans = published.state.value.plans;
  return (
    <section className="card stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('plans.headOffice.title')}</h2>
      {plans.length === 0 ? (
        <p className="muted">{t('plans.headOffice.empty')}</p>
      ) : (
        <ul aria-label={t('plans.headOffice.label')}>
          {plans.map((p) => (
            <li key={p.name} className="row">
              <span className="mono">{p.name}</span>
              {p.size !== null && <span className="muted">{formatBytes(p.size)}</span>}
              {p.modifiedAt !== null && <span className="muted">{formatDateTime(p.modifiedAt)}</span>}
              {p.imported ? (
                <span className="badge ok">{t('plans.headOffice.imported')}</span>
              ) : (
                <button type="button" disabled={busy !== undefined} aria-label={t('plans.headOffice.importLabel', { name: p.name })} onClick={() => importPlan(p.name)}>
                  {t('plans.headOffice.import')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {outcome?.kind === 'error' && <ErrorNotice error={outcome.error} />}
      {outcome?.kind === 'done' && (
        <p role="status" className="notice ok">
          {t('plans.headOffice.done', { name: outcome.name })} {outcome.status !== undefined && <SignatureBadge status={outcome.status} acknowledged={outcome.status !== 'valid-trusted'} />}
        </p>
      )}
      {outcome?.kind === 'ack' && (
        <AcknowledgeForm name={outcome.name} status={outcome.status} onConfirm={(note) => importPlan(outcome.name, note)} onCancel={() => setOutcome(undefined)} />
      )}
    </section>
  );
}
