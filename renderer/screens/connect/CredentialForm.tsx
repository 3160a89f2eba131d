// Adding a credential profile. Secrets (passphrase, password) are sent once with credentials.set
// and the form is emptied at once, whatever the answer: they are never kept in the page.
import { useId, useState } from 'react';
import { call, errorText } from '../../api/api';
import { ErrorNotice } from '../../components/states';
import { t } from '../../i18n/t';
import { credentialRequest, EMPTY_CREDENTIAL_FORM, type CredentialFormState, type CredentialKind, type ScopeKind } from './credentialForm';

const KINDS: readonly CredentialKind[] = ['keyFile', 'agent', 'password'];
const SCOPES: readonly ScopeKind[] = ['all', 'tags', 'hosts'];

export function CredentialForm({ onSaved }: { readonly onSaved: () => void }) {
  const [form, setForm] = useState<CredentialFormState>(EMPTY_CREDENTIAL_FORM);
  const [message, setMessage] = useState<{ kind: 'ok' | 'problem'; text: string } | undefined>(undefined);
  const [error, setError] = useState<{ code: string; message: string } | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const set = (patch: Partial<CredentialFormState>): void => setForm((f) => ({ ...f, ...patch }));

  const save = (): void => {
    const request = credentialRequest(form);
    setError(undefined);
    if (!request.ok) return setMessage({ kind: 'problem', text: t(request.problem) });
    // The secrets leave the page's state now; a failure means typing them again.
    set({ passphrase: '', password: '' });
    setBusy(true);
    call('credentials.set', request.value)
      .then((saved) => {
        // Ready for the next profile of the same kind; nothing of this one stays in the page.
        setForm((f) => ({ ...EMPTY_CREDENTIAL_FORM, kind: f.kind, scope: f.scope }));
        setMessage({ kind: 'ok', text: t('connect.form.saved', { name: saved.name }) });
        onSaved();
      })
      .catch((e: unknown) => {
        setMessage(undefined);
        setError(errorText(e));
      })
      .finally(() => setBusy(false));
  };

  return (
    <form
      className="stack connect-form"
      aria-labelledby={`${id}-title`}
      autoComplete="off"
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) save();
      }}
    >
      <h3 id={`${id}-title`}>{t('connect.form.title')}</h3>
      <label htmlFor={`${id}-name`}>{t('connect.form.name')}</label>
      <input id={`${id}-name`} value={form.name} maxLength={100} onChange={(e) => set({ name: e.target.value })} />
      <fieldset className="row">
        <legend>{t('connect.form.kind')}</legend>
        {KINDS.map((kind) => (
          <label key={kind}>
            <input type="radio" name={`${id}-kind`} checked={form.kind === kind} onChange={() => set({ kind })} /> {t(`connect.form.kind.${kind}`)}
          </label>
        ))}
      </fieldset>
      {form.kind === 'keyFile' && (
        <>
          <label htmlFor={`${id}-path`}>{t('connect.form.path')}</label>
          <input id={`${id}-path`} className="mono" value={form.path} onChange={(e) => set({ path: e.target.value })} />
          <label htmlFor={`${id}-passphrase`}>{t('connect.form.passphrase')}</label>
          <input id={`${id}-passphrase`} type="password" autoComplete="off" value={form.passphrase} onChange={(e) => set({ passphrase: e.target.value })} />
        </>
      )}
      {form.kind === 'agent' && (
        <>
          <label htmlFor={`${id}-socket`}>{t('connect.form.socket')}</label>
          <input id={`${id}-socket`} className="mono" value={form.socketPath} onChange={(e) => set({ socketPath: e.target.value })} />
        </>
      )}
      {form.kind === 'password' && (
        <>
          <label htmlFor={`${id}-password`}>{t('connect.form.password')}</label>
          <input id={`${id}-password`} type="password" autoComplete="off" value={form.password} onChange={(e) => set({ password: e.target.value })} />
        </>
      )}
      <fieldset className="row">
        <legend>{t('connect.form.scope')}</legend>
        {SCOPES.map((scope) => (
          <label key={scope}>
            <input type="radio" name={`${id}-scope`} checked={form.scope === scope} onChange={() => set({ scope })} /> {t(`connect.form.scope.${scope}`)}
          </label>
        ))}
      </fieldset>
      {form.scope === 'tags' && (
        <>
          <label htmlFor={`${id}-tags`}>{t('connect.form.tags')}</label>
          <input id={`${id}-tags`} value={form.tags} onChange={(e) => set({ tags: e.target.value })} />
        </>
      )}
      {form.scope === 'hosts' && (
        <>
          <label htmlFor={`${id}-hosts`}>{t('connect.form.hosts')}</label>
          <input id={`${id}-hosts`} value={form.hosts} onChange={(e) => set({ hosts: e.target.value })} />
        </>
      )}
      <div>
        <button type="submit" className="primary" disabled={busy}>
          {t('connect.form.save')}
        </button>
      </div>
      {message !== undefined && (
        <p role="status" className={message.kind === 'ok' ? 'notice ok' : 'notice warn'}>
          {message.text}
        </p>
      )}
      {error !== undefined && <ErrorNotice error={error} />}
    </form>
  );
}
