// What excluding a host would do, from the core, shown inside the exclusion dialog before the
// technician decides.
import { useQuery } from '../../api/useQuery';
import { t } from '../../i18n/t';
import { Loading, ErrorNotice } from '../../components/states';

export function ExcludeHostPreview({ runId, host }: { readonly runId: string; readonly host: string }) {
  const preview = useQuery('runs.hosts.exclusionPreview', { runId, host });
  if (preview.state.status === 'loading') return <Loading />;
  if (preview.state.status === 'error') return <ErrorNotice error={preview.state} onRetry={preview.reload} />;
  const { skipped, dependents } = preview.state.value;
  return (
    <div className="stack">
      <p>{t('deploy.exclude.explain', { host })}</p>
      <h3>{t('deploy.exclude.skipped', { count: skipped.length })}</h3>
      <ul aria-label={t('deploy.exclude.skippedList')}>
        {skipped.map((key) => (
          <li key={key} className="mono">
            {key}
          </li>
        ))}
      </ul>
      {dependents.length > 0 && (
        <div className="notice warn">
          <p>{t('deploy.exclude.dependents', { count: dependents.length })}</p>
          <ul aria-label={t('deploy.exclude.dependentsList')}>
            {dependents.map((key) => (
              <li key={key} className="mono">
                {key}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
