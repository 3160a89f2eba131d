// The rollback actions started so far (newest last), each with its state; picking one shows its output.
import { instanceKey, type RunState } from '../../../shared/run';
import { t } from '../../i18n/t';
import { Duration } from './Duration';
import { outcomeText, stateBadge } from './instanceView';

export interface RollbackListProps {
  readonly state: RunState;
  readonly titles: ReadonlyMap<string, string>;
  readonly selected: string | undefined;
  readonly onSelect: (key: string) => void;
}

export function RollbackList({ state, titles, selected, onSelect }: RollbackListProps) {
  const actions = Object.values(state.rollbacks).sort((a, b) => (a.startedSeq ?? 0) - (b.startedSeq ?? 0));
  if (actions.length === 0) return null;
  return (
    <>
      <h2>{t('deploy.rollbacks.title')}</h2>
      <ul className="instances" aria-label={t('deploy.rollbacks.title')}>
        {actions.map((r) => {
          const key = `rollback:${instanceKey(r.stepId, r.host)}`;
          const badge = stateBadge(r.state);
          const outcome = outcomeText(r.outcome);
          return (
            <li key={key} className={selected === key ? 'instance selected' : 'instance'}>
              <button type="button" className="instance-button" aria-pressed={selected === key} onClick={() => onSelect(key)}>
                <span className="instance-host">{r.host}</span>
                <span>{titles.get(r.stepId) ?? r.stepId}</span>
                <span className={badge.className}>{badge.text}</span>
                {outcome !== undefined && <span className="muted">{outcome}</span>}
                <Duration startedAt={r.startedAt} endedAt={r.endedAt} going={r.state === 'running' || r.state === 'waiting'} />
              </button>
            </li>
          );
        })}
      </ul>
    </>
  );
}
