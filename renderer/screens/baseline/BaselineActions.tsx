// Running the baseline: all of it, the failed cells again, or every check on one host (one check
// on every host is in the cell details). Each is an explicit click; the core's refusal (checklist
// not ticked, a pass still running, wrong phase) is shown as it says it.
import { useId, useState } from 'react';
import { call } from '../../api/api';
import { t } from '../../i18n/t';
import { refusalText, runAction } from '../../components/runAction';

type Only = { checkId?: string; host?: string; failed?: boolean };

export function BaselineActions({ runId, hosts, checks, canRun, anyFailed }: { readonly runId: string; readonly hosts: readonly string[]; readonly checks: readonly { id: string; title?: string | undefined }[]; readonly canRun: boolean; readonly anyFailed: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [host, setHost] = useState(hosts[0] ?? '');
  const [checkId, setCheckId] = useState(checks[0]?.id ?? '');
  const id = useId();

  const run = (only: Only | undefined): void => {
    setBusy(true);
    setError(undefined);
    void runAction((expectSeq) => call('runs.baseline.run', { runId, expectSeq, ...(only === undefined ? {} : { only }) })).then((failed) => {
      setBusy(false);
      if (failed !== undefined) setError(refusalText(failed));
    });
  };

  return (
    <section className="card stack" aria-label={t('baseline.actions.label')}>
      <div className="row">
        <button type="button" className="primary" disabled={!canRun || busy} onClick={() => run(undefined)}>
          {t('baseline.actions.runAll')}
        </button>
        <button type="button" disabled={!canRun || busy || !anyFailed} onClick={() => run({ failed: true })}>
          {t('baseline.actions.rerunFailed')}
        </button>
        <label htmlFor={`${id}-host`}>{t('baseline.actions.host')}</label>
        <select id={`${id}-host`} value={host} onChange={(e) => setHost(e.target.value)}>
          {hosts.map((h) => (
            <option key={h} value={h}>
              {h}
            </option>
          ))}
        </select>
        <button type="button" disabled={!canRun || busy || host === ''} onClick={() => run({ host })}>
          {t('baseline.actions.rerunHost')}
        </button>
        <label htmlFor={`${id}-check`}>{t('baseline.actions.check')}</label>
        <select id={`${id}-check`} value={checkId} onChange={(e) => setCheckId(e.target.value)}>
          {checks.map((c) => (
            <option key={c.id} value={c.id}>
              {c.title ?? c.id}
            </option>
          ))}
        </select>
        <button type="button" disabled={!canRun || busy || checkId === ''} onClick={() => run({ checkId })}>
          {t('baseline.actions.rerunCheck')}
        </button>
      </div>
      {!canRun && <p className="muted">{t('baseline.actions.phaseOver')}</p>}
      {error !== undefined && (
        <p role="alert" className="notice fail">
          {error}
        </p>
      )}
    </section>
  );
}
