// The hosts' clocks against the laptop's, as measured when connecting: a flagged skew makes log
// times on that host misleading, so it is shown before anyone reads them.
import type { RunState } from '../../../shared/run';
import { formatNumber, t } from '../../i18n/t';

export function ClockSkew({ state }: { readonly state: RunState }) {
  const measured = Object.values(state.hosts).filter((h) => h.clock !== undefined);
  if (measured.length === 0) return null;
  const flagged = measured.filter((h) => h.clock?.flagged === true);
  return (
    <section className={flagged.length > 0 ? 'notice warn' : 'notice info'} aria-label={t('baseline.clock.label')}>
      <p>{flagged.length > 0 ? t('baseline.clock.flagged', { count: flagged.length }) : t('baseline.clock.fine')}</p>
      <ul>
        {measured.map((h) => (
          <li key={h.host}>
            {t('baseline.clock.host', { host: h.host, skew: formatNumber(h.clock?.skewS ?? 0) })}
            {h.clock?.flagged === true && <strong> {t('baseline.clock.flag')}</strong>}
          </li>
        ))}
      </ul>
    </section>
  );
}
