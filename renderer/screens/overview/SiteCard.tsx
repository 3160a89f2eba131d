import { useId } from 'react';
import type { Plan } from '../../../shared/plan';
import { t } from '../../i18n/t';

export function SiteCard({ plan }: { readonly plan: Plan }) {
  const id = useId();
  const m = plan.metadata;
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{m.title}</h2>
      <dl className="overview-facts" aria-label={t('overview.site.label')}>
        <dt>{t('overview.site.client')}</dt>
        <dd>{m.client}</dd>
        <dt>{t('overview.site.site')}</dt>
        <dd>{m.site}</dd>
        <dt>{t('overview.site.plan')}</dt>
        <dd>
          <span className="mono">{m.id}</span> {t('overview.site.version', { version: m.version })}
        </dd>
        {m.increment !== undefined && (
          <>
            <dt>{t('overview.site.increment')}</dt>
            <dd>{m.increment}</dd>
          </>
        )}
        {m.author !== undefined && (
          <>
            <dt>{t('overview.site.author')}</dt>
            <dd>{m.author}</dd>
          </>
        )}
      </dl>
      {m.description !== undefined && <p className="prose">{m.description}</p>}
    </section>
  );
}
