// Checklist: the plan's rollout items, each ticked with an optional note (journaled with the
// time) and with its photos.
import { useQuery } from '../../api/useQuery';
import { RunScreenGate, type OpenRun } from '../../components/RunScreenGate';
import { EmptyState } from '../../components/states';
import { t } from '../../i18n/t';
import { ChecklistItem } from './ChecklistItem';
import { checklistProgress, checklistRows } from './checklistRows';
import './checklist.css';

function Checklist({ runId, run, plan }: OpenRun) {
  const attachments = useQuery('runs.attachments.list', { runId }, { refreshOn: ['runs.changed'] });
  const rows = checklistRows(plan.checklist, run.state.checklist);
  if (rows.length === 0) {
    return (
      <EmptyState title={t('checklist.empty')}>
        <p>{t('checklist.emptyHint')}</p>
      </EmptyState>
    );
  }
  const progress = checklistProgress(rows);
  const attachmentsError = attachments.state.status === 'error' ? { code: attachments.state.code, message: attachments.state.message } : undefined;
  const all = attachments.value?.attachments ?? [];
  return (
    <div className="stack">
      <h1>{t('checklist.title')}</h1>
      <p>{t('checklist.intro')}</p>
      <p role="status" className={progress.requiredLeft === 0 ? 'notice ok' : 'notice info'}>
        {progress.requiredLeft === 0 ? t('checklist.complete') : t('checklist.progress', { done: progress.done, total: progress.total, required: progress.requiredLeft })}
      </p>
      <ul aria-label={t('checklist.label')} className="checklist-items stack">
        {rows.map((row) => (
          <ChecklistItem
            key={row.item.id}
            runId={runId}
            row={row}
            attachments={all.filter((a) => a.target.kind === 'checklist' && a.target.itemId === row.item.id)}
            attachmentsError={attachmentsError}
          />
        ))}
      </ul>
    </div>
  );
}

export function ChecklistScreen() {
  return <RunScreenGate>{(open) => <Checklist {...open} />}</RunScreenGate>;
}
