// The imported plans, newest first: what each is, its hash prefix and signature, and its runs.
import type { MethodOutput } from '../../../shared/contract';
import { EmptyState } from '../../components/states';
import { t } from '../../i18n/t';
import { hashPrefix } from './planProblems';
import { PlanRuns } from './PlanRuns';
import { SignatureBadge } from './SignatureBadge';

type PlanSummary = MethodOutput<'plans.list'>['plans'][number];
type RunSummary = MethodOutput<'runs.list'>['runs'][number];

export function PlanList({ plans, runs }: { readonly plans: readonly PlanSummary[]; readonly runs: readonly RunSummary[] }) {
  if (plans.length === 0) {
    return (
      <EmptyState title={t('plans.list.empty')}>
        <p>{t('plans.list.emptyHint')}</p>
      </EmptyState>
    );
  }
  return (
    <ul aria-label={t('plans.list.label')} className="plan-list stack">
      {plans.map((plan) => (
        <li key={plan.hash} className="card stack">
          <div className="row">
            <h3>{plan.title}</h3>
            <SignatureBadge status={plan.signature.status} acknowledged={plan.acknowledged} />
          </div>
          <p>{t('plans.item.meta', { client: plan.client, site: plan.site, version: plan.version })}</p>
          <p className="muted">
            <span className="mono" title={plan.hash}>
              {t('plans.item.hash', { hash: hashPrefix(plan.hash) })}
            </span>{' '}
            {t('plans.item.counts', { hosts: plan.hostCount, steps: plan.stepCount, artifacts: plan.artifactCount })}
          </p>
          <PlanRuns planHash={plan.hash} title={plan.title} runs={runs} />
        </li>
      ))}
    </ul>
  );
}
