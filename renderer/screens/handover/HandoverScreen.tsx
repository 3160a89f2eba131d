// Handover: the plan's items gone through with the client's operations staff, then the sign-offs
// the plan asks for. When the last required item is ticked and the last role has signed, the core
// moves the run to done, and the screen says so and points to the report.
import { useEffect, useState } from 'react';
import { call } from '../../api/api';
import { useNavigation } from '../../app/navigation';
import { RunScreenGate, type OpenRun } from '../../components/RunScreenGate';
import { EmptyState } from '../../components/states';
import { t } from '../../i18n/t';
import { HandoverItemCard } from './HandoverItemCard';
import { SignOffCard } from './SignOffCard';
import './handover.css';

function useTechnicianName(): string | undefined {
  const [name, setName] = useState<string | undefined>(undefined);
  useEffect(() => {
    let alive = true;
    call('identity.get', {}).then(
      (identity) => alive && setName(identity.technician ?? undefined),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, []);
  return name;
}

export function HandoverScreen() {
  return <RunScreenGate>{(open) => <Handover {...open} />}</RunScreenGate>;
}

function Handover({ runId, run, plan }: OpenRun) {
  const go = useNavigation((s) => s.go);
  const technician = useTechnicianName();

  const { state } = run;
  const { items, signOff } = plan.handover;
  if (items.length === 0 && signOff.length === 0) {
    return (
      <EmptyState title={t('handover.empty')}>
        <p>{t('handover.emptyHelp')}</p>
        <button type="button" onClick={() => go('report')}>
          {t('handover.goReport')}
        </button>
      </EmptyState>
    );
  }

  const canAct = state.phase === 'handover';
  const done = state.phase === 'done';
  const required = items.filter((i) => i.required);
  const contactNames = plan.contacts.map((c) => c.name);

  return (
    <div className="stack handover">
      <h1>{t('handover.title')}</h1>
      <p className="muted">{t('handover.intro')}</p>
      {done ? (
        <div className="notice ok row" role="status">
          <span>{t('handover.done')}</span>
          <button type="button" className="primary" onClick={() => go('report')}>
            {t('handover.goReport')}
          </button>
        </div>
      ) : (
        !canAct && <p className="notice info">{t('handover.notYet', { phase: state.phase ?? '—' })}</p>
      )}
      <p aria-live="polite">
        {t('handover.progress', {
          ticked: required.filter((i) => state.handover[i.id] !== undefined).length,
          required: required.length,
          signed: signOff.filter((s) => state.signOffs[s.role] !== undefined).length,
          roles: signOff.length,
        })}
      </p>
      <h2>{t('handover.items')}</h2>
      <ul className="handover-items" aria-label={t('handover.items')}>
        {items.map((item) => (
          <HandoverItemCard
            key={item.id}
            runId={runId}
            item={item}
            tick={state.handover[item.id]}
            canTick={canAct}
            timeZone={plan.outage.timeZone}
            attachments={state.attachments.filter((a) => a.target.kind === 'handover' && a.target.itemId === item.id)}
          />
        ))}
      </ul>
      <section className="stack" aria-label={t('handover.signOffs')}>
        <h2>{t('handover.signOffs')}</h2>
        {signOff.map((s) => (
          <SignOffCard
            key={s.role}
            runId={runId}
            signOff={s}
            signed={state.signOffs[s.role]}
            canSign={canAct}
            timeZone={plan.outage.timeZone}
            suggestedName={s.role === 'technician' ? technician : undefined}
            contactNames={contactNames}
          />
        ))}
      </section>
    </div>
  );
}
