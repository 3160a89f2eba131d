// Plans: import a plan (picker or drop), the imported plans with their signature and runs,
// start or open a run, and the plans head office published when it is configured.
import { useQuery } from '../../api/useQuery';
import { ErrorNotice, Loading } from '../../components/states';
import { t } from '../../i18n/t';
import { HeadOfficePlans } from './HeadOfficePlans';
import { ImportPanel } from './ImportPanel';
import { PlanList } from './PlanList';
import './plans.css';

export function PlansScreen() {
  const plans = useQuery('plans.list', {}, { refreshOn: ['plans.changed'] });
  const runs = useQuery('runs.list', {}, { refreshOn: ['runs.changed', 'plans.changed'] });
  const reload = (): void => {
    plans.reload();
    runs.reload();
  };
  return (
    <div className="stack">
      <h1>{t('plans.title')}</h1>
      <ImportPanel onImported={reload} />
      {plans.state.status === 'loading' && <Loading />}
      {plans.state.status === 'error' && <ErrorNotice error={plans.state} onRetry={plans.reload} />}
      {plans.state.status === 'ready' && runs.state.status === 'error' && <ErrorNotice error={runs.state} onRetry={runs.reload} />}
      {plans.state.status === 'ready' && <PlanList plans={plans.state.value.plans} runs={runs.value?.runs ?? []} />}
      <HeadOfficePlans onImported={reload} />
    </div>
  );
}
