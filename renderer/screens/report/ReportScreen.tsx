// Report: a preview of what the signed report will say, "Export signed report", and the run's
// exports with Verify, Download (browser mode) and where each bundle lies.
import { useQuery } from '../../api/useQuery';
import { RunScreenGate, type OpenRun } from '../../components/RunScreenGate';
import { ErrorNotice, Loading } from '../../components/states';
import { t } from '../../i18n/t';
import { ExportPanel } from './ExportPanel';
import { ExportRow } from './ExportRow';
import { ReportPreview } from './ReportPreview';
import './report.css';

function ExportList({ runId, query }: { readonly runId: string; readonly query: ReturnType<typeof useExports> }) {
  const { state, value, reload } = query;
  if (value === undefined) {
    if (state.status === 'error') return <ErrorNotice error={state} onRetry={reload} />;
    return <Loading />;
  }
  if (value.exports.length === 0) return <p className="muted">{t('report.noExports')}</p>;
  return (
    <ul className="exports" aria-label={t('report.exports')}>
      {value.exports.map((entry) => (
        <ExportRow key={entry.exportSeq} runId={runId} entry={entry} />
      ))}
    </ul>
  );
}

function useExports(runId: string) {
  return useQuery('reports.list', { runId }, { refreshOn: ['runs.changed', 'outbox.changed'] });
}

export function ReportScreen() {
  return <RunScreenGate>{(open) => <Report {...open} />}</RunScreenGate>;
}

function Report({ runId, run, plan }: OpenRun) {
  const exports = useExports(runId);
  return (
    <div className="stack report">
      <h1>{t('report.title')}</h1>
      <p className="muted">{t('report.intro')}</p>
      <ReportPreview plan={plan} state={run.state} />
      <ExportPanel runId={runId} onExported={exports.reload} />
      <section className="stack" aria-labelledby="report-exports-h">
        <h2 id="report-exports-h">{t('report.exports')}</h2>
        <ExportList runId={runId} query={exports} />
      </section>
    </div>
  );
}
