// Overview: the site and client, who to call, the outage window live, the hosts and what the
// run saw of them, and the yellow flags to acknowledge before deployment.
import { useNavigation } from '../../app/navigation';
import { EmptyState, ErrorNotice, Loading } from '../../components/states';
import { t } from '../../i18n/t';
import { useRunStore } from '../../state/runStore';
import { ContactList } from './ContactList';
import { HostTable } from './HostTable';
import { OutageWindow } from './OutageWindow';
import { SiteCard } from './SiteCard';
import { YellowFlags } from './YellowFlags';
import './overview.css';

export function OverviewScreen() {
  const { runId, run, plan, status, error, refresh } = useRunStore();
  const go = useNavigation((s) => s.go);
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
  if (status === 'error' && error !== undefined) return <ErrorNotice error={error} onRetry={() => void refresh()} />;
  if (run === undefined || plan === undefined) return <Loading />;
  return (
    <div className="stack">
      <h1>{t('overview.title')}</h1>
      {error !== undefined && <ErrorNotice error={error} onRetry={() => void refresh()} />}
      <SiteCard plan={plan} />
      <YellowFlags runId={runId} />
      <OutageWindow plan={plan} state={run.state} />
      <ContactList contacts={plan.contacts} />
      <HostTable plan={plan} hosts={run.state.hosts} />
    </div>
  );
}
