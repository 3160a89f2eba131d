// One plan's runs (open one) and the start of a new run with an optional label.
import { useId, useState } from 'react';
import type { MethodOutput } from '../../../shared/contract';
import { call, errorText } from '../../api/api';
import { useNavigation } from '../../app/navigation';
import { ErrorNotice } from '../../components/states';
import { formatDateTime, t } from '../../i18n/t';
import { runsOfPlan } from './planRuns';

type RunSummary = MethodOutput<'runs.list'>['runs'][number];

export function PlanRuns({ planHash, title, runs }: { readonly planHash: string; readonly title: string; readonly runs: readonly RunSummary[] }) {
  const go = useNavigation((s) => s.go);
  const [label, setLabel] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | undefined>(undefined);
  const id = useId();
  const mine = runsOfPlan(runs, planHash);

  const start = (): void => {
    setBusy(true);
    setError(undefined);
    call('runs.create', { planHash, ...(label.trim() === '' ? {} : { label: label.trim() }) })
      .then(({ runId }) => go('overview', runId))
      .catch((e: unknown) => {
        setBusy(false);
        setError(errorText(e));
      });
  };

  return (
    <div className="stack plan-runs">
      {mine.length === 0 ? (
        <p className="muted">{t('plans.runs.none')}</p>
      ) : (
        <ul aria-label={t('plans.runs.label', { title })}>
          {mine.map((run) => {
            const name = run.label ?? t('plans.runs.unlabelled', { id: run.runId });
            return (
              <li key={run.runId} className="row">
                <span>{t('plans.runs.item', { label: name, created: formatDateTime(run.createdAt) })}</span>
                {run.phase !== undefined && <span className="badge info">{t('plans.runs.phase', { phase: run.phase })}</span>}
                <button type="button" aria-label={t('plans.runs.openLabel', { label: name })} onClick={() => go('overview', run.runId)}>
                  {t('plans.runs.open')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) start();
        }}
      >
        <label htmlFor={`${id}-label`}>{t('plans.start.label')}</label>
        <input id={`${id}-label`} value={label} maxLength={200} onChange={(e) => setLabel(e.target.value)} />
        <button type="submit" className="primary" disabled={busy} aria-label={t('plans.start.buttonLabel', { title })}>
          {t('plans.start.button')}
        </button>
      </form>
      {error !== undefined && <ErrorNotice error={error} />}
    </div>
  );
}
