// Host keys: each open question shows the presented fingerprint beside what the plan expected,
// to be compared with what the client reads out; a changed pinned key offers the override (the
// new fingerprint typed in, and a reason).
import { useId, useState } from 'react';
import type { Plan } from '../../../shared/plan';
import type { RunState } from '../../../shared/run';
import { call } from '../../api/api';
import { ReasonDialog } from '../../components/ReasonDialog';
import { runAction, type RunActionFailure } from '../../components/runAction';
import { ErrorNotice } from '../../components/states';
import { t } from '../../i18n/t';
import { changedKeyHosts, FINGERPRINT_PATTERN, hostKeyQuestions } from './planNeeds';

function OverrideDialog({ runId, host, onClose }: { readonly runId: string; readonly host: string; readonly onClose: () => void }) {
  const [fingerprint, setFingerprint] = useState('');
  const id = useId();
  const valid = FINGERPRINT_PATTERN.test(fingerprint.trim());
  return (
    <ReasonDialog
      title={t('connect.keys.overrideTitle', { host })}
      confirmLabel={t('connect.keys.overrideConfirm')}
      danger
      onClose={onClose}
      onConfirm={async (reason) => {
        if (!valid) throw new Error(t('connect.keys.fingerprintInvalid'));
        const failed = await runAction((expectSeq) => call('runs.hosts.overrideKey', { runId, expectSeq, host, fingerprint: fingerprint.trim(), reason }));
        if (failed !== undefined) throw new Error(failed.message);
      }}
    >
      <p className="notice warn">{t('connect.keys.overrideWarning')}</p>
      <label htmlFor={`${id}-fp`}>{t('connect.keys.fingerprint')}</label>
      <input id={`${id}-fp`} className="mono" value={fingerprint} autoComplete="off" spellCheck={false} onChange={(e) => setFingerprint(e.target.value)} />
      {fingerprint !== '' && !valid && <p className="muted">{t('connect.keys.fingerprintInvalid')}</p>}
    </ReasonDialog>
  );
}

// The expected keys as one list in the technician's language ("a, b and c").
const listFormat = new Intl.ListFormat(typeof navigator === 'undefined' ? undefined : navigator.language, { type: 'conjunction' });

export function HostKeyPanel({ runId, plan, state }: { readonly runId: string; readonly plan: Plan; readonly state: RunState }) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<RunActionFailure | undefined>(undefined);
  const [overriding, setOverriding] = useState<string | undefined>(undefined);
  const id = useId();
  const questions = hostKeyQuestions(plan, state);
  const changed = changedKeyHosts(state);

  const answer = async (questionId: string, decision: 'accept' | 'reject'): Promise<void> => {
    setBusy(true);
    setFailure(await runAction((expectSeq) => call('runs.answer', { runId, expectSeq, questionId, answer: { kind: 'host-key', decision } })));
    setBusy(false);
  };

  return (
    <section className="card stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('connect.keys.title')}</h2>
      {questions.length === 0 && changed.length === 0 && <p className="muted">{t('connect.keys.none')}</p>}
      {questions.length > 0 && (
        <ul aria-label={t('connect.keys.label')} className="connect-list">
          {questions.map((q) => (
            <li key={q.id} className="notice warn stack" role="group" aria-label={q.host}>
              <strong>{t('connect.keys.question', { host: q.host })}</strong>
              <span className="mono">{t('connect.keys.presented', { keyType: q.keyType, fingerprint: q.fingerprint })}</span>
              <span className="mono">
                {t('connect.keys.expected', {
                  expected: q.expected.length === 0 ? t('connect.keys.expectedNone') : listFormat.format(q.expected.map((k) => t('connect.keys.key', { keyType: k.type, fingerprint: k.fingerprint }))),
                })}
              </span>
              <p>{t('connect.keys.compare')}</p>
              <div className="row">
                <button type="button" className="primary" disabled={busy} aria-label={t('connect.keys.acceptLabel', { host: q.host })} onClick={() => void answer(q.id, 'accept')}>
                  {t('connect.keys.accept')}
                </button>
                <button type="button" className="danger" disabled={busy} aria-label={t('connect.keys.rejectLabel', { host: q.host })} onClick={() => void answer(q.id, 'reject')}>
                  {t('connect.keys.reject')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {changed.map(({ host, message }) => (
        <div key={host} className="notice fail stack">
          <p>{t('connect.keys.changed', { host, message })}</p>
          <div>
            <button type="button" onClick={() => setOverriding(host)}>
              {t('connect.keys.override')}
            </button>
          </div>
        </div>
      ))}
      {Object.values(state.hosts).flatMap((h) =>
        h.keyOverride === undefined ? [] : [<p key={h.host} className="muted mono">{t('connect.keys.overridden', { host: h.host, fingerprint: h.keyOverride.fingerprint })}</p>],
      )}
      {failure !== undefined && <ErrorNotice error={failure} />}
      {overriding !== undefined && <OverrideDialog runId={runId} host={overriding} onClose={() => setOverriding(undefined)} />}
    </section>
  );
}
