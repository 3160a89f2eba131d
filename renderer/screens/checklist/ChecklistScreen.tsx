// Checklist: the plan's rollout items, each ticked with an optional note (journaled with the
// time) and with its photos.
import { useQuery } from '../../api/useQuery';
import { useNavigation } from '../../app/navigation';
import { EmptyState, ErrorNotice, Loading } from '../../components/states';
import { t } from '../../i18n/t';
import { useRunStore } from '../../state/runStore';
import { ChecklistItem } from './ChecklistItem';
import { checklistProgress, checklistRows } from './checklistRows';
import './checklist.css';

export function ChecklistScreen() {
  const { runId, run, plan, status, error, refresh } = useRunStore();
  const go = useNavigation((s) => s.go);
  const attachments = useQuery('runs.attachments.list', runId === undefined ? undefined : { runId }, { refreshOn: ['runs.changed'] });
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
  const rows = checklistRows(plan.checklist, run.state.checklist);
  if (rows.length === 0) {
    return (
      <EmptyState title={t('checklist.empty')}>
        <p>{t('checklist.emptyHint')}</p>
      </EmptyState>
    );
  }
  const progress = checklistProgress(rows);
  const attachmentsError = attachments.state.status === 'error' ? attachments.state : undefined;
  const all = attachments.value?.attachments ?? [];
  return (
    <div className="stack">
      <h1>{t('checklist.title')}</h1>
      <p>{t('checklist.intro')}</p>
      <p role="status" className={progress.requiredLeft === 0 ? 'notice ok' : 'notice info'}>
        {progress.requiredLeft === 0 ? t('checklist.complete') : t('checklist.progress', { done: progress.done, total: progress.total, required: progress.requiredLeft })}
      </p>
      {error !== undefined && <ErrorNotice error={error} onRetry={() => void refresh()} />}
      <ul aria-label={t('checklist.label')} className="checklist-items stack">
        {rows.map((row) => (
          <ChecklistItem
            key={row.item.id}
            runId={runId}
            row={row}
            attachments={all.filter((a) => a.target.kind === 'checklist' && a.target.itemId === row.item.id)}
            attachmentsError={attachmentsError === undefined ? undefined : { code: attachmentsError.code, message: attachmentsError.message }}
          />
        ))}
      </ul>
    </div>
  );
}
