// The steps in the order they run (dependencies first), each with its instance per host: state,
// attempt, outcome and how long it took (ticking while it runs). Picking an instance shows its
// output. Rows and instance buttons are memoised on what they show, so a `runs.changed` with
// 50 steps × 50 hosts redraws the few instances that changed, not 2,500 buttons.
import { memo, useMemo } from 'react';
import type { Plan } from '../../../shared/plan';
import type { RunState } from '../../../shared/run';
import { t } from '../../i18n/t';
import { Duration } from './Duration';
import { outcomeText, stateBadge } from './instanceView';
import { sameCell, sameRow, stepLayout, stepRows, type InstanceCell, type StepRowData } from './stepRows';

export interface StepListProps {
  readonly plan: Plan;
  readonly state: RunState;
  readonly selected: string | undefined;
  /** Must be stable (a state setter): rows compare it by reference. */
  readonly onSelect: (key: string) => void;
}

export function StepList({ plan, state, selected, onSelect }: StepListProps) {
  const layout = useMemo(() => stepLayout(plan), [plan]);
  return (
    <ol className="step-list" aria-label={t('deploy.steps.label')}>
      {stepRows(layout, state).map((row) => (
        // Only the row holding the selection gets it, so moving the selection redraws two rows.
        <StepRow key={row.step.id} row={row} selected={row.cells.some((c) => c.key === selected) ? selected : undefined} onSelect={onSelect} />
      ))}
    </ol>
  );
}

interface StepRowProps {
  readonly row: StepRowData;
  readonly selected: string | undefined;
  readonly onSelect: (key: string) => void;
}

const StepRow = memo(
  function StepRow({ row, selected, onSelect }: StepRowProps) {
    const { step, edited, cells } = row;
    return (
      <li className="card step">
        <div className="row">
          <strong>{step.title}</strong>
          <span className="muted mono">{step.id}</span>
          {step.manual !== undefined && <span className="badge neutral">{t('deploy.steps.manual')}</span>}
          {edited && <span className="badge warn">{t('deploy.steps.edited')}</span>}
          {step.needs.length > 0 && <span className="muted">{t('deploy.steps.needs', { steps: step.needs.join(', ') })}</span>}
        </div>
        <ul className="instances" aria-label={t('deploy.steps.instances', { step: step.title })}>
          {cells.map((cell) => (
            <InstanceButton key={cell.key} cell={cell} selected={selected === cell.key} onSelect={onSelect} />
          ))}
        </ul>
      </li>
    );
  },
  (a, b) => a.selected === b.selected && a.onSelect === b.onSelect && sameRow(a.row, b.row),
);

interface InstanceButtonProps {
  readonly cell: InstanceCell;
  readonly selected: boolean;
  readonly onSelect: (key: string) => void;
}

const InstanceButton = memo(
  function InstanceButton({ cell, selected, onSelect }: InstanceButtonProps) {
    const { key, host, instance, excluded } = cell;
    const badge = stateBadge(instance?.state ?? 'pending');
    const outcome = outcomeText(instance?.outcome);
    return (
      <li className={selected ? 'instance selected' : 'instance'}>
        <button type="button" className="instance-button" aria-pressed={selected} onClick={() => onSelect(key)}>
          <span className="instance-host">{host}</span>
          <span className={badge.className}>{badge.text}</span>
          {instance !== undefined && instance.attempt > 1 && <span className="muted">{t('deploy.steps.attempt', { attempt: instance.attempt })}</span>}
          {outcome !== undefined && <span className="muted">{outcome}</span>}
          <Duration startedAt={instance?.startedAt} endedAt={instance?.endedAt} going={instance?.state === 'running' || instance?.state === 'waiting'} />
          {instance?.skipReason !== undefined && <span className="muted">{t('deploy.steps.skipped', { reason: instance.skipReason })}</span>}
          {excluded && <span className="badge neutral">{t('deploy.steps.hostExcluded')}</span>}
        </button>
      </li>
    );
  },
  (a, b) => a.selected === b.selected && a.onSelect === b.onSelect && sameCell(a.cell, b.cell),
);
