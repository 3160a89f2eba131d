// How far the deployment is, and the outage window: time left, the point of no return, and
// whether the remaining steps (by the plan's estimates) still fit. Recomputed every second.
import type { Plan } from '../../../shared/plan';
import { selectHosts } from '../../../shared/plan';
import { instanceKey, timeStatus, type RunState, type TimeStatus } from '../../../shared/run';
import { useNow } from '../../components/useNow';
import { formatDuration, formatNumber, formatTime, t } from '../../i18n/t';

export function DeployProgress({ plan, state, finished }: { readonly plan: Plan; readonly state: RunState; readonly finished: boolean }) {
  const now = useNow(1000);
  const time = timeStatus(plan, state, now);
  let total = 0;
  let done = 0;
  let running = 0;
  for (const step of plan.steps) {
    for (const host of selectHosts(plan, step.hosts)) {
      total += 1;
      const s = state.instances[instanceKey(step.id, host)]?.state;
      if (s === 'succeeded' || s === 'skipped') done += 1;
      if (s === 'running') running += 1;
    }
  }
  return (
    <section className="card deploy-progress" aria-label={t('deploy.progress.label')}>
      <div className="row">
        <progress max={Math.max(1, total)} value={done} aria-label={t('deploy.progress.bar')} />
        <span>{t('deploy.progress.counts', { done: formatNumber(done), total: formatNumber(total), running: formatNumber(running) })}</span>
      </div>
      {!finished && <WindowTimes time={time} siteZone={plan.outage.timeZone} />}
      {!finished && time.fitsWindow === false && (
        <p className="notice warn" role="status">
          {t('deploy.time.doesNotFit')}
        </p>
      )}
    </section>
  );
}

/** Times in the site's zone and in the laptop's (they differ when the technician travelled). */
function WindowTimes({ time, siteZone }: { readonly time: TimeStatus; readonly siteZone: string }) {
  const at = (ms: number): string => t('deploy.time.at', { site: formatTime(ms, siteZone), laptop: formatTime(ms) });
  return (
    <dl className="deploy-time">
      {time.msLeftInWindow !== undefined && (
        <>
          <dt>{t('deploy.time.windowLeft')}</dt>
          <dd>{time.msLeftInWindow >= 0 ? formatDuration(time.msLeftInWindow) : t('deploy.time.windowOver', { late: formatDuration(-time.msLeftInWindow) })}</dd>
        </>
      )}
      {time.pointOfNoReturnMs !== undefined && (
        <>
          <dt>{t('deploy.time.pointOfNoReturn')}</dt>
          <dd className={time.pastPointOfNoReturn ? 'fail-text' : time.warnPointOfNoReturn ? 'warn-text' : undefined}>
            {time.pastPointOfNoReturn
              ? t('deploy.time.pointPassed', { at: at(time.pointOfNoReturnMs) })
              : t('deploy.time.pointIn', { left: formatDuration(time.msToPointOfNoReturn ?? 0), at: at(time.pointOfNoReturnMs) })}
          </dd>
        </>
      )}
      <dt>{t('deploy.time.remaining')}</dt>
      <dd>
        {formatDuration(time.remainingEstimateMs)}
        {time.unestimatedSteps.length > 0 && <span className="muted"> {t('deploy.time.unestimated', { count: time.unestimatedSteps.length })}</span>}
      </dd>
    </dl>
  );
}
