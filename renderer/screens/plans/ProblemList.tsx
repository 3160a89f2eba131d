// A plan's problems at their places: file:line:column, the path in the document, what was found
// and what was expected. Plan text is shown as text only.
import { t } from '../../i18n/t';
import { problemLocation, type PlanProblemView } from './planProblems';

export function ProblemList({ name, problems }: { readonly name: string; readonly problems: readonly PlanProblemView[] }) {
  return (
    <div role="alert" className="notice fail stack">
      <h3>{t('plans.problems.title', { name, count: problems.length })}</h3>
      <p>{t('plans.problems.hint')}</p>
      <ol aria-label={t('plans.problems.label')} className="plan-problems">
        {problems.map((p, index) => (
          <li key={`${index}:${p.path}`}>
            <span className="mono problem-location">{problemLocation(p)}</span>{' '}
            {p.severity === 'warning' && <span className="badge warn">{t('plans.problems.warning')}</span>}{' '}
            <span className="muted mono">{t('plans.problems.path', { path: p.path })}</span>
            <p>{p.message}</p>
            {(p.found !== '' || p.expected !== '') && (
              <p className="muted">
                {p.found !== '' && t('plans.problems.found', { found: p.found })} {p.expected !== '' && t('plans.problems.expected', { expected: p.expected })}
              </p>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
