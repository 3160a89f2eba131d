// Outbox: every exported report and its way to head office — state, attempts, next attempt, last
// error and its fix — with "Sync now", the connection probe and the sync log. Follows outbox.changed.
import { useState } from 'react';
import type { MethodOutput } from '../../../shared/contract';
import { call } from '../../api/api';
import { useQuery } from '../../api/useQuery';
import { useNavigation } from '../../app/navigation';
import { EmptyState, ErrorNotice, Loading } from '../../components/states';
import { useAction } from '../../components/useAction';
import { t } from '../../i18n/t';
import { OutboxEntryCard } from './OutboxEntryCard';
import { ProbeCard } from './ProbeCard';
import { SyncLog } from './SyncLog';
import { useNow } from '../../components/useNow';
import './outbox.css';

type SyncRound = MethodOutput<'outbox.syncNow'>;

function SyncNow({ onDone }: { readonly onDone: () => void }) {
  const go = useNavigation((s) => s.go);
  const [round, setRound] = useState<SyncRound | undefined>(undefined);
  const { busy, failure, run: sync } = useAction(async () => {
    setRound(undefined);
    setRound(await call('outbox.syncNow', {}));
    onDone();
  });
  return (
    <div className="stack">
      <div className="row">
        <button type="button" className="primary" disabled={busy} onClick={() => void sync()}>
          {busy ? t('outbox.syncing') : t('outbox.syncNow')}
        </button>
      </div>
      {round !== undefined && (
        <div role="status" className={round.configured ? 'notice info' : 'notice warn row'}>
          {round.configured ? (
            <p>
              {t('outbox.syncResult', { attempted: round.attempted, delivered: round.delivered, retrying: round.retrying, conflicts: round.conflicts, failed: round.failedPermanently })}
            </p>
          ) : (
            <>
              <span>{t('outbox.syncNotConfigured')}</span>
              <button type="button" onClick={() => go('settings')}>
                {t('outbox.setUpHeadOffice')}
              </button>
            </>
          )}
          {round.stoppedBy !== undefined && <p>{t('outbox.syncStopped', { message: round.stoppedBy.message, code: round.stoppedBy.code })}</p>}
        </div>
      )}
      {failure !== undefined && <ErrorNotice error={failure} />}
    </div>
  );
}

function Entries({ query, now }: { readonly query: ReturnType<typeof useOutbox>; readonly now: number }) {
  const { state, value, reload } = query;
  const runs = useQuery('runs.list', {});
  const labels = new Map((runs.value?.runs ?? []).map((r) => [r.runId, r.label ?? undefined]));
  if (value === undefined) return state.status === 'error' ? <ErrorNotice error={state} onRetry={reload} /> : <Loading />;
  if (value.entries.length === 0) {
    return (
      <EmptyState title={t('outbox.empty')}>
        <p>{t('outbox.emptyHelp')}</p>
      </EmptyState>
    );
  }
  return (
    <ul className="outbox-entries" aria-label={t('outbox.entries')}>
      {value.entries.map((entry) => (
        <OutboxEntryCard key={entry.id} entry={entry} now={now} runLabel={labels.get(entry.runId)} />
      ))}
    </ul>
  );
}

function useOutbox() {
  return useQuery('outbox.list', {}, { refreshOn: ['outbox.changed'] });
}

export function OutboxScreen() {
  const entries = useOutbox();
  const now = useNow(10_000);
  return (
    <div className="stack outbox">
      <h1>{t('outbox.title')}</h1>
      <p className="muted">{t('outbox.intro')}</p>
      <ProbeCard />
      <SyncNow onDone={entries.reload} />
      <section className="stack" aria-labelledby="outbox-entries-h">
        <h2 id="outbox-entries-h">{t('outbox.entries')}</h2>
        <Entries query={entries} now={now} />
      </section>
      <section className="stack" aria-labelledby="outbox-log-h">
        <h2 id="outbox-log-h">{t('outbox.log')}</h2>
        <SyncLog />
      </section>
    </div>
  );
}
