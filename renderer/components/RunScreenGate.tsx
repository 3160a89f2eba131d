// The gate every screen of a run stands behind: no run open (go to Plans), the run loading, the
// run that could not be loaded (with a retry); past it, the screen gets the open run and its
// plan. A refresh that failed after the run was shown keeps the screen and says so above it.
import type { ReactNode } from 'react';
import type { MethodOutput } from '../../shared/contract';
import type { Plan } from '../../shared/plan';
import { useNavigation } from '../app/navigation';
import { t } from '../i18n/t';
import { useRunStore } from '../state/runStore';
import { EmptyState, ErrorNotice, Loading } from './states';

export interface OpenRun {
  readonly runId: string;
  readonly run: MethodOutput<'runs.get'>;
  readonly plan: Plan;
}

export function RunScreenGate({ children }: { readonly children: (open: OpenRun) => ReactNode }) {
  const { runId, run, plan, status, error, refresh } = useRunStore();
  const go = useNavigation((s) => s.go);
  const retry = (): void => void refresh();
  if (runId === undefined) {
    return (
      <EmptyState title={t('overview.noRun')}>
        <p>{t('overview.noRunHint')}</p>
        <button type="button" onClick={() => go('plans')}>
          {t('overview.goPlans')}
        </button>
      </EmptyState>
    );
  }
  if (status === 'error' && error !== undefined) return <ErrorNotice error={error} onRetry={retry} />;
  if (run === undefined || plan === undefined) return <Loading />;
  return (
    <>
      {error !== undefined && <ErrorNotice error={error} onRetry={retry} />}
      {children({ runId, run, plan })}
    </>
  );
}
