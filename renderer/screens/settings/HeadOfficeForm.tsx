// Pointing Fieldrun at head office: URL, user and password or a token (typed in, never shown back),
// an optional company CA; the core runs its setup check and saves only if it passes.
import { useId, useState } from 'react';
import type { MethodOutput } from '../../../shared/contract';
import { call } from '../../api/api';
import { ErrorNotice } from '../../components/states';
import { t } from '../../i18n/t';
import { useAction } from '../../components/useAction';

type Settings = NonNullable<MethodOutput<'headOffice.get'>['settings']>;
type SetupAnswer = MethodOutput<'headOffice.set'>;

function CheckResults({ answer }: { readonly answer: SetupAnswer }) {
  return (
    <div className={answer.saved ? 'notice ok stack' : 'notice fail stack'} role="status">
      <p>{answer.saved ? t('settings.saved') : t('settings.notSaved')}</p>
      <ul aria-label={t('settings.checks')}>
        {answer.checks.map((c) => (
          <li key={c.name}>
            <span className={c.passed ? 'badge ok' : 'badge fail'}>{c.passed ? t('settings.checkPassed') : t('settings.checkFailed')}</span> <strong>{c.name}</strong>{' '}
            <span className="muted">{c.detail}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function HeadOfficeForm({ current, onSaved }: { readonly current: Settings | null; readonly onSaved: () => void }) {
  const id = useId();
  const [url, setUrl] = useState(current?.baseUrl ?? '');
  const [kind, setKind] = useState<'basic' | 'bearer'>(current?.auth.kind ?? 'basic');
  const [user, setUser] = useState(current?.auth.user ?? '');
  const [secret, setSecret] = useState('');
  const [ca, setCa] = useState('');
  const [answer, setAnswer] = useState<SetupAnswer | undefined>(undefined);
  const save = useAction(async () => {
    setAnswer(undefined);
    const auth = kind === 'basic' ? { kind, user: user.trim(), password: secret } : { kind, token: secret };
    const result = await call('headOffice.set', { baseUrl: url.trim(), auth, ...(ca.trim() === '' ? {} : { companyCaPem: ca }) });
    setAnswer(result);
    if (result.saved) {
      setSecret('');
      onSaved();
    }
  });
  const ready = url.trim() !== '' && secret !== '' && (kind === 'bearer' || user.trim() !== '') && !save.busy;

  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) void save.run();
      }}
    >
      <label htmlFor={`${id}-url`}>{t('settings.urlLabel')}</label>
      <input id={`${id}-url`} type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://reports.example.com/dav/" required />
      <fieldset className="row">
        <legend>{t('settings.authLabel')}</legend>
        {(['basic', 'bearer'] as const).map((k) => (
          <label key={k}>
            <input type="radio" name={`${id}-kind`} checked={kind === k} onChange={() => setKind(k)} /> {t(`settings.auth.${k}`)}
          </label>
        ))}
      </fieldset>
      {kind === 'basic' && (
        <>
          <label htmlFor={`${id}-user`}>{t('settings.userLabel')}</label>
          <input id={`${id}-user`} value={user} onChange={(e) => setUser(e.target.value)} autoComplete="username" />
        </>
      )}
      <label htmlFor={`${id}-secret`}>{kind === 'basic' ? t('settings.passwordLabel') : t('settings.tokenLabel')}</label>
      <input id={`${id}-secret`} type="password" value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="off" aria-describedby={`${id}-secret-help`} />
      <p id={`${id}-secret-help`} className="muted">
        {t('settings.secretHelp')}
      </p>
      <label htmlFor={`${id}-ca`}>{t('settings.caLabel')}</label>
      <textarea id={`${id}-ca`} className="mono" rows={4} value={ca} onChange={(e) => setCa(e.target.value)} placeholder="-----BEGIN CERTIFICATE-----" aria-describedby={`${id}-ca-help`} />
      <p id={`${id}-ca-help`} className="muted">
        {t('settings.caHelp')}
      </p>
      {save.failure !== undefined && <ErrorNotice error={save.failure} />}
      {save.busy && <p role="status">{t('settings.checking')}</p>}
      {answer !== undefined && <CheckResults answer={answer} />}
      <div className="row">
        <button type="submit" className="primary" disabled={!ready}>
          {t('settings.saveHeadOffice')}
        </button>
      </div>
    </form>
  );
}
