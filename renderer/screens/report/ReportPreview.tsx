// The preview of the report: box score, deviations with their reasons, unknown steps, handover.
import type { Plan } from '../../../shared/plan';
import type { RunState } from '../../../shared/run';
import { formatDateTime, formatNumber, t, type MessageKey } from '../../i18n/t';
import { reportPreview, type BoxScore } from './reportPreview';

const BOX: readonly { key: keyof BoxScore; badge: string }[] = [
  { key: 'passed', badge: 'ok' },
  { key: 'failed', badge: 'fail' },
  { key: 'waived', badge: 'warn' },
  { key: 'skipped', badge: 'neutral' },
  { key: 'unknown', badge: 'unknown' },
];

function deviationLabel(kind: string): string {
  const key = `report.deviation.${kind}`;
  return key in DEVIATION_KEYS ? t(key as MessageKey) : kind;
}
// The kinds the catalogue names; a kind from a newer core shows as is.
const DEVIATION_KEYS: Readonly<Record<string, true>> = Object.fromEntries(
  ['waiver', 'skip', 'mark-done', 'host-key-accepted', 'confirm-denied', 'abort', 'rollback', 'adhoc', 'exclude-host', 'step-edit', 'host-key-override', 'flag-acknowledged', 'clock-skew'].map((k) => [`report.deviation.${k}`, true]),
);

export function ReportPreview({ plan, state }: { readonly plan: Plan; readonly state: RunState }) {
  const preview = reportPreview(plan, state);
  return (
    <section className="card stack" aria-labelledby="report-preview-h">
      <h2 id="report-preview-h">{t('report.preview')}</h2>
      <p>{t('report.phase', { phase: state.phase ?? '—' })}</p>
      <h3>{t('report.box')}</h3>
      <dl className="box-score" aria-label={t('report.box')}>
        {BOX.map(({ key, badge }) => (
          <div key={key} className={`box-cell ${badge}`}>
            <dt>{t(`report.box.${key}`)}</dt>
            <dd className={`badge ${badge}`}>{formatNumber(preview.box[key])}</dd>
          </div>
        ))}
      </dl>
      <h3>{t('report.deviations')}</h3>
      {preview.deviations.length === 0 ? (
        <p className="muted">{t('report.noDeviations')}</p>
      ) : (
        <table className="deviations" aria-label={t('report.deviations')}>
          <tbody>
            {preview.deviations.map((d, i) => (
              <tr key={`${d.kind}-${d.subject}-${i}`}>
                <td>{deviationLabel(d.kind)}</td>
                <td className="mono">{d.subject}</td>
                <td>{d.reason}</td>
                <td className="muted">{d.timeUtc === '' ? '' : formatDateTime(d.timeUtc, plan.outage.timeZone)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {preview.unknownSteps.length > 0 && (
        <div className="notice warn">
          <h3>{t('report.unknownSteps')}</h3>
          <p>{t('report.unknownHelp')}</p>
          <ul aria-label={t('report.unknownSteps')}>
            {preview.unknownSteps.map((u) => (
              <li key={u.key}>
                {u.title} <span className="mono">({u.host})</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <p>{t('report.handover', preview.handover)}</p>
    </section>
  );
}
