// The yellow flags of the run (plan signature, contacts without backup, steps that failed before
// or never ran): each read and acknowledged with a note before deployment may start.
import { useId, useState } from 'react';
import { call } from '../../api/api';
import { useQuery } from '../../api/useQuery';
import { runAction, type RunActionFailure } from '../../components/runAction';
import { ErrorNotice, Loading } from '../../components/states';
import type { MethodOutput } from '../../../shared/contract';
import { t, type MessageKey } from '../../i18n/t';

type FlagKind = MethodOutput<'runs.flags.get'>['flags'][number]['kind'];

const KIND_TEXT: Readonly<Record<FlagKind, MessageKey>> = {
  'plan-signature': 'overview.flags.kind.plan-signature',
  'contact-without-backup': 'overview.flags.kind.contact-without-backup',
  'failed-before': 'overview.flags.kind.failed-before',
  'never-exercised': 'overview.flags.kind.never-exercised',
};

export function YellowFlags({ runId }: { readonly runId: string }) {
  const flags = useQuery('runs.flags.get', { runId }, { refreshOn: ['runs.changed'] });
  const [unselected, setUnselected] = useState<ReadonlySet<string>>(new Set());
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<RunActionFailure | undefined>(undefined);
  const id = useId();

  const body = (() => {
    if (flags.state.status === 'loading') return <Loading />;
    if (flags.state.status === 'error') return <ErrorNotice error={flags.state} onRetry={flags.reload} />;
    const { flags: all, acknowledged } = flags.state.value;
    if (all.length === 0) return <p className="notice ok">{t('overview.flags.none')}</p>;
    const open = all.filter((f) => !acknowledged.includes(f.id));
    const chosen = open.filter((f) => !unselected.has(f.id)).map((f) => f.id);
    const acknowledge = async (): Promise<void> => {
      setBusy(true);
      const failed = await runAction((expectSeq) => call('runs.flags.acknowledge', { runId, expectSeq, flagIds: chosen, note: note.trim() }));
      setFailure(failed);
      setBusy(false);
      // The note is kept when the acknowledgement failed, so that it can be sent again as typed.
      if (failed === undefined) setNote('');
      flags.reload();
    };
    return (
      <>
        <p className={open.length === 0 ? 'notice ok' : 'notice warn'}>{open.length === 0 ? t('overview.flags.allDone') : t('overview.flags.blocking')}</p>
        <ul aria-label={t('overview.flags.label')} className="overview-flags">
          {all.map((flag) => (
            <li key={flag.id}>
              {acknowledged.includes(flag.id) ? (
                <span>
                  <span className="badge ok">{t('overview.flags.acknowledged')}</span> <span className="badge neutral">{t(KIND_TEXT[flag.kind])}</span> {flag.text}
                </span>
              ) : (
                <label>
                  <input
                    type="checkbox"
                    checked={!unselected.has(flag.id)}
                    aria-label={t('overview.flags.select', { text: flag.text })}
                    onChange={(e) => {
                      const next = new Set(unselected);
                      if (e.target.checked) next.delete(flag.id);
                      else next.add(flag.id);
                      setUnselected(next);
                    }}
                  />{' '}
                  <span className="badge warn">{t(KIND_TEXT[flag.kind])}</span> {flag.text}
                </label>
              )}
            </li>
          ))}
        </ul>
        {open.length > 0 && (
          <form
            className="stack"
            onSubmit={(e) => {
              e.preventDefault();
              if (!busy && chosen.length > 0) void acknowledge();
            }}
          >
            <label htmlFor={`${id}-note`}>{t('overview.flags.note')}</label>
            <textarea id={`${id}-note`} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
            <button type="submit" className="primary" disabled={busy || chosen.length === 0}>
              {t('overview.flags.acknowledge')}
            </button>
          </form>
        )}
        {failure !== undefined && <ErrorNotice error={failure} />}
      </>
    );
  })();

  return (
    <section className="card stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('overview.flags.title')}</h2>
      {body}
    </section>
  );
}
