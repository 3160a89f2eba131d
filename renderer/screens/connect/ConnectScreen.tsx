// Connect: credential profiles, the values the plan needs on site, and the host keys to confirm.
// Hosts connect when the baseline runs (there is no separate connect call), so this screen links
// there.
import { useNavigation } from '../../app/navigation';
import { RunScreenGate } from '../../components/RunScreenGate';
import { t } from '../../i18n/t';
import { CredentialProfiles } from './CredentialProfiles';
import { HostKeyPanel } from './HostKeyPanel';
import { SecretValues } from './SecretValues';
import './connect.css';

export function ConnectScreen() {
  const go = useNavigation((s) => s.go);
  return (
    <RunScreenGate>
      {({ runId, run, plan }) => (
        <div className="stack">
          <h1>{t('connect.title')}</h1>
          <div className="notice info row">
            <p>{t('connect.how')}</p>
            <button type="button" onClick={() => go('baseline')}>
              {t('connect.goBaseline')}
            </button>
          </div>
          <HostKeyPanel runId={runId} plan={plan} state={run.state} />
          <CredentialProfiles />
          <SecretValues runId={runId} plan={plan} state={run.state} />
        </div>
      )}
    </RunScreenGate>
  );
}
