// The outage window, live: start, point of no return and end in site time (the plan's zone) and
// laptop time, how far each is from now, and whether the remaining work fits.
import { useId } from 'react';
import type { Plan } from '../../../shared/plan';
import { timeStatus, type RunState } from '../../../shared/run';
import { formatDateTime, t, type MessageKey } from '../../i18n/t';
import { relativeToNow, windowLines } from './countdown';
import { useNow } from '../../components/useNow';

const MOMENTS: readonly { readonly key: 'start' | 'pointOfNoReturn' | 'end'; readonly label: MessageKey }[] = [
  { key: 'start', label: 'overview.window.start' },
  { key: 'pointOfNoReturn', label: 'overview.window.ponr' },
  { key: 'end', label: 'overview.window.end' },
];

export function OutageWindow({ plan, state }: { readonly plan: Plan; readonly state: RunState }) {
  const now = useNow(1000);
  const id = useId();
  const time = timeStatus(plan, state, now);
  const zone = plan.outage.timeZone;
  return (
    <section className="card stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('overview.window.title')}</h2>
      <table aria-label={t('overview.window.label')}>
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">{t('overview.window.moment')}</span>
            </th>
            <th scope="col">{t('overview.window.siteTime', { zone })}</th>
            <th scope="col">{t('overview.window.laptopTime')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('overview.window.fromNow')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {MOMENTS.map(({ key, label }) => {
            const at = plan.outage[key];
            const ms = Date.parse(at);
            return (
              <tr key={key}>
                <th scope="row">{t(label)}</th>
                <td>{formatDateTime(at, zone)}</td>
                <td>{formatDateTime(at)}</td>
                <td className="muted">{Number.isNaN(ms) ? '' : relativeToNow(ms, now)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="stack">
        {windowLines(time, now).map((line, index) => (
          <p key={index} className={`notice ${line.tone}`}>
            {line.text}
          </p>
        ))}
      </div>
      {plan.outage.description !== undefined && <p className="prose">{plan.outage.description}</p>}
    </section>
  );
}
