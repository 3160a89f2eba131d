// The steps in the order they run (dependencies first), each with its instance per host: state,
// attempt and outcome. Picking an instance shows its output.
import type { Plan } from '../../../shared/plan';
import { selectHosts, stepOrder } from '../../../shared/plan';
import { instanceKey, type RunState } from '../../../shared/run';
import { t } from '../../i18n/t';
import { outcomeText, stateBadge } from './instanceView';

export interface StepListProps {
  readonly plan: Plan;
  readonly state: RunState;
  readonly selected: string | undefined;
  readonly onSelect: (key: string) => void;
}

export function StepList({ plan, state, selected, onSelect }: StepListProps) {
  const steps = new Map(plan.steps.map((s) => [s.id, s]));
  return (
    <ol className="step-list" aria-label={t('deploy.steps.label')}>
      {stepOrder(plan).map((id) => {
        const step = steps.get(id)!;
        const edited = state.stepEdits[id];
        return (
          <li key={id} className="card step">
            <div className="row">
              <strong>{step.title}</strong>
              <span className="muted mono">{id}</span>
              {step.manual !== undefined && <span className="badge neutral">{t('deploy.steps.manual')}</span>}
              {edited !== undefined && <span className="badge warn">{t('deploy.steps.edited')}</span>}
              {step.needs.length > 0 && <span className="muted">{t('deploy.steps.needs', { steps: step.needs.join(', ') })}</span>}
            </div>
            <ul className="instances" aria-label={t('deploy.steps.instances', { step: step.title })}>
              {selectHosts(plan, step.hosts).map((host) => {
                const key = instanceKey(id, host);
                const instance = state.instances[key];
                const badge = stateBadge(instance?.state ?? 'pending');
                const outcome = outcomeText(instance?.outcome);
                return (
                  <li key={key} className={selected === key ? 'instance selected' : 'instance'}>
                    <button type="button" className="instance-button" aria-pressed={selected === key} onClick={() => onSelect(key)}>
                      <span className="instance-host">{host}</span>
                      <span className={badge.className}>{badge.text}</span>
                      {instance !== undefined && instance.attempt > 1 && <span className="muted">{t('deploy.steps.attempt', { attempt: instance.attempt })}</span>}
                      {outcome !== undefined && <span className="muted">{outcome}</span>}
                      {instance?.skipReason !== undefined && <span className="muted">{t('deploy.steps.skipped', { reason: instance.skipReason })}</span>}
                      {state.hosts[host]?.excluded !== undefined && <span className="badge neutral">{t('deploy.steps.hostExcluded')}</span>}
                    </button>
                  </li>
                );
              })}
            </ul>
          </li>
        );
      })}
    </ol>
  );
}
