// Starting the deployment, or resuming it after a restart or a halt: always the technician's
// explicit click. The core refuses while the baseline fails unwaived or flags are unacknowledged;
// its message is shown as it is.
import { useEffect, useState } from 'react';
import type { RunState } from '../../../shared/run';
import { call } from '../../api/api';
import { useNavigation, type ScreenId } from '../../app/navigation';
import { t, type MessageKey } from '../../i18n/t';
import { refusalText, runAction } from '../../components/runAction';

/** Where the technician fixes what the core refused for. */
const FIX_WHERE: Readonly<Record<string, { screen: ScreenId; label: MessageKey }>> = {
  BASELINE_NOT_CLEAR: { screen: 'baseline', label: 'deploy.start.openBaseline' },
  FLAGS_UNACKNOWLEDGED: { screen: 'overview', label: 'deploy.start.openOverview' },
  CHECKLIST_INCOMPLETE: { screen: 'checklist', label: 'deploy.start.openChecklist' },
};

/** True once `value` has stayed true for `ms`: a deployment is idle for a moment between steps. */
function useSettled(value: boolean, ms: number): boolean {
  const [settled, setSettled] = useState(false);
  useEffect(() => {
    if (!value) {
      setSettled(false);
      return undefined;
    }
    const timer = setTimeout(() => setSettled(true), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export function StartPanel({ runId, state, halted }: { readonly runId: string; readonly state: RunState; readonly halted: boolean }) {
  const phase = state.phase;
  const instances = Object.values(state.instances);
  const running = instances.some((i) => i.state === 'running');
  const idle = useSettled(!running && state.questions.length === 0, 1500);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; code: string } | undefined>(undefined);
  const go = useNavigation((n) => n.go);
  const starting = phase === 'prepare' || phase === 'baseline';
  const resuming = (phase === 'deploy' || phase === 'rollback') && (idle || halted);
  if (!starting && !resuming) return null;

  const start = (): void => {
    setBusy(true);
    setError(undefined);
    void runAction((expectSeq) => call('runs.deploy.start', { runId, expectSeq })).then((failed) => {
      setBusy(false);
      if (failed !== undefined) setError({ text: refusalText(failed), code: failed.code });
    });
  };
  return (
    <section className="card stack" aria-label={t('deploy.start.label')}>
      <p>{starting ? t('deploy.start.explain') : phase === 'rollback' ? t('deploy.start.resumeRollbackExplain') : t('deploy.start.resumeExplain')}</p>
      <div className="row">
        <button type="button" className="primary" disabled={busy} onClick={start}>
          {starting ? t('deploy.start.start') : phase === 'rollback' ? t('deploy.start.resumeRollback') : t('deploy.start.resume')}
        </button>
      </div>
      {error !== undefined && (
        <div role="alert" className="notice fail">
          <p>{error.text}</p>
          {FIX_WHERE[error.code] !== undefined && (
            <button type="button" onClick={() => go(FIX_WHERE[error.code]!.screen)}>
              {t(FIX_WHERE[error.code]!.label)}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
