// The two ways to get a key ready: create it on first use (name, and a passphrase where the store
// is a passphrase file), or unlock the passphrase file for this session.
import { useId, useState } from 'react';
import type { MethodOutput } from '../../../shared/contract';
import { call } from '../../api/api';
import { ErrorNotice } from '../../components/states';
import { t } from '../../i18n/t';
import { useAction } from '../../components/useAction';

type Identity = MethodOutput<'identity.get'>;
const MIN_PASSPHRASE = 8;

export function CreateIdentity({ storeKind, onDone }: { readonly storeKind: Identity['storeKind']; readonly onDone: (identity: Identity) => void }) {
  const id = useId();
  const [name, setName] = useState('');
  const [pass, setPass] = useState('');
  const [again, setAgain] = useState('');
  const needsPass = storeKind === 'passphrase-file';
  const create = useAction(async () => onDone(await call('identity.create', { technician: name.trim(), ...(needsPass ? { passphrase: pass } : {}) })));
  const problem = !needsPass ? undefined : pass.length < MIN_PASSPHRASE ? t('settings.passphraseShort') : pass !== again ? t('settings.passphraseMismatch') : undefined;
  const ready = name.trim() !== '' && problem === undefined && !create.busy;
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) void create.run();
      }}
    >
      <label htmlFor={`${id}-name`}>{t('settings.technicianLabel')}</label>
      <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} maxLength={200} autoComplete="email" required aria-describedby={`${id}-name-help`} />
      <p id={`${id}-name-help`} className="muted">
        {t('settings.technicianHelp')}
      </p>
      {needsPass && (
        <>
          <label htmlFor={`${id}-pass`}>{t('settings.passphraseLabel')}</label>
          <input id={`${id}-pass`} type="password" value={pass} onChange={(e) => setPass(e.target.value)} autoComplete="new-password" aria-describedby={`${id}-problem`} />
          <label htmlFor={`${id}-again`}>{t('settings.passphraseRepeatLabel')}</label>
          <input id={`${id}-again`} type="password" value={again} onChange={(e) => setAgain(e.target.value)} autoComplete="new-password" aria-describedby={`${id}-problem`} />
          <p id={`${id}-problem`} className="muted" aria-live="polite">
            {pass === '' ? '' : (problem ?? '')}
          </p>
        </>
      )}
      {create.failure !== undefined && <ErrorNotice error={create.failure} />}
      <div className="row">
        <button type="submit" className="primary" disabled={!ready}>
          {create.busy ? t('settings.creating') : t('settings.create')}
        </button>
      </div>
    </form>
  );
}

export function UnlockIdentity({ onDone }: { readonly onDone: (identity: Identity) => void }) {
  const id = useId();
  const [pass, setPass] = useState('');
  const unlock = useAction(async () => onDone(await call('identity.unlock', { passphrase: pass })));
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        if (pass.length >= MIN_PASSPHRASE && !unlock.busy) void unlock.run();
      }}
    >
      <label htmlFor={`${id}-pass`}>{t('settings.passphraseLabel')}</label>
      <input id={`${id}-pass`} type="password" value={pass} onChange={(e) => setPass(e.target.value)} autoComplete="current-password" />
      {unlock.failure !== undefined && <ErrorNotice error={unlock.failure} />}
      <div className="row">
        <button type="submit" className="primary" disabled={pass.length < MIN_PASSPHRASE || unlock.busy}>
          {unlock.busy ? t('settings.unlocking') : t('settings.unlock')}
        </button>
      </div>
    </form>
  );
}
