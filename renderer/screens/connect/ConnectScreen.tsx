// Connect: credential profiles, the values the plan needs on site, and the host keys to confirm.
// Hosts connect when the baseline runs (there is no separate connect call), so this screen links
// there.
import { useNavigation } from '../../app/navigation';
import { EmptyState, ErrorNotice, Loading } from '../../components/states';
import { t } from '../../i18n/t';
import { useRunStore } from '../../state/runStore';
import { CredentialProfiles } from './CredentialProfiles';
import { HostKeyPanel } from './HostKeyPanel';
import { SecretValues } from './SecretValues';
import './connect.css';

export function ConnectScreen() {
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
      <h1>{t('connect.title')}</h1>
      <div className="notice info row">
        <p>{t('connect.how')}</p>
        <button type="button" onClick={() => go('baseline')}>
          {t('connect.goBaseline')}
        </button>
      </div>
      {error !== undefined && <ErrorNotice error={error} onRetry={() => void refresh()} />}
      <HostKeyPanel runId={runId} plan={plan} state={run.state} />
      <CredentialProfiles />
      <SecretValues runId={runId} plan={plan} state={run.state} />
    </div>
  );
}
