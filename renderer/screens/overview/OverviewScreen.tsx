// Overview: the site and client, who to call, the outage window live, the hosts and what the
// run saw of them, and the yellow flags to acknowledge before deployment.
import { RunScreenGate } from '../../components/RunScreenGate';
import { t } from '../../i18n/t';
import { ContactList } from './ContactList';
import { HostTable } from './HostTable';
import { OutageWindow } from './OutageWindow';
import { SiteCard } from './SiteCard';
import { YellowFlags } from './YellowFlags';
import './overview.css';

export function OverviewScreen() {
  return (
    <RunScreenGate>
      {({ runId, run, plan }) => (
        <div className="stack">
          <h1>{t('overview.title')}</h1>
          <SiteCard plan={plan} />
          <YellowFlags runId={runId} />
          <OutageWindow plan={plan} state={run.state} />
          <ContactList contacts={plan.contacts} />
          <HostTable plan={plan} hosts={run.state.hosts} />
        </div>
      )}
    </RunScreenGate>
  );
}
