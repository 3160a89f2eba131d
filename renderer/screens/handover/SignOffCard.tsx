// One sign-off the plan asks for (technician, client operations, …): who signed, with what title,
// when, and the drawn signature; or the form to sign, with an optional drawing.
import { useEffect, useId, useState } from 'react';
import type { PlanSignOff } from '../../../shared/plan';
import type { HandoverSignOff } from '../../../shared/run';
import { call } from '../../api/api';
import { runAction, type RunActionFailure } from '../../components/runAction';
import { ErrorNotice } from '../../components/states';
import { formatDateTime, t } from '../../i18n/t';
import { SignaturePad } from './SignaturePad';

export interface SignOffCardProps {
  readonly runId: string;
  readonly signOff: PlanSignOff;
  readonly signed: HandoverSignOff | undefined;
  readonly canSign: boolean;
  /** The site's IANA zone: times are shown as the client lived them. */
  readonly timeZone: string;
  /** A name to start with (the technician's, from the identity). */
  readonly suggestedName: string | undefined;
  /** Names from the plan's contacts, offered as completions. */
  readonly contactNames: readonly string[];
}

function Signed({ signed, timeZone }: { readonly signed: HandoverSignOff; readonly timeZone: string }) {
  return (
    <div className="stack">
      <p>
        <span className="badge ok" aria-hidden="true">✓</span> {t('handover.signedBy', { name: signed.name, time: formatDateTime(signed.timeUtc, timeZone) })}
      </p>
      {signed.title !== undefined && <p className="muted">{t('handover.signedTitle', { title: signed.title })}</p>}
      {signed.signature !== undefined && (
        <div className="signature-frame">
          <img className="signature-image" src={`data:image/png;base64,${signed.signature.pngBase64}`} alt={t('handover.signatureAlt', { name: signed.name })} />
        </div>
      )}
    </div>
  );
}

export function SignOffCard({ runId, signOff, signed, canSign, timeZone, suggestedName, contactNames }: SignOffCardProps) {
  const id = useId();
  const [name, setName] = useState(suggestedName ?? '');
  const [title, setTitle] = useState('');
  const [png, setPng] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<RunActionFailure | undefined>(undefined);
  const [again, setAgain] = useState(false);
  const heading = t('handover.signOffFor', { role: signOff.role });
  // The identity answers after the first render: fill the name then, unless someone typed already.
  useEffect(() => {
    if (suggestedName !== undefined) setName((typed) => (typed === '' ? suggestedName : typed));
  }, [suggestedName]);

  const submit = async (): Promise<void> => {
    setBusy(true);
    setFailure(undefined);
    const failed = await runAction((expectSeq) =>
      call('runs.handover.signOff', {
        runId,
        expectSeq,
        role: signOff.role,
        name: name.trim(),
        ...(title.trim() === '' ? {} : { title: title.trim() }),
        ...(png === undefined ? {} : { signaturePng: png }),
      }),
    );
    setBusy(false);
    setFailure(failed);
    if (failed === undefined) setAgain(false);
  };

  return (
    <section className="card stack" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{heading}</h3>
      <p className="muted">{signOff.title}</p>
      {signed !== undefined && <Signed signed={signed} timeZone={timeZone} />}
      {signed !== undefined && canSign && !again && (
        <div className="row">
          <button type="button" onClick={() => setAgain(true)}>
            {t('handover.signAgain')}
          </button>
        </div>
      )}
      {canSign && (signed === undefined || again) && (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            if (name.trim() !== '' && !busy) void submit();
          }}
        >
          <label htmlFor={`${id}-name`}>{t('handover.nameLabel')}</label>
          <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} list={`${id}-contacts`} autoComplete="off" required maxLength={200} />
          <datalist id={`${id}-contacts`}>
            {contactNames.map((n) => (
              <option key={n} value={n} />
            ))}
          </datalist>
          <label htmlFor={`${id}-title`}>{t('handover.jobTitleLabel')}</label>
          <input id={`${id}-title`} value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} />
          <SignaturePad label={t('handover.signaturePad', { role: signOff.role })} onChange={setPng} />
          {failure !== undefined && <ErrorNotice error={failure} />}
          <div className="row">
            <button type="submit" className="primary" disabled={name.trim() === '' || busy}>
              {busy ? t('handover.signing') : t('handover.signOff', { role: signOff.role })}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
