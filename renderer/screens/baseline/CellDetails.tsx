// One cell of the baseline opened: the check (kind, command), what was expected and found, the
// output excerpts the core kept, the verdict and why; rerun it, and waive a failure with a reason.
import { useId, useState } from 'react';
import type { BaselineCheck } from '../../../shared/plan';
import type { BaselineCell } from '../../../shared/run';
import { call } from '../../api/api';
import { ReasonDialog } from '../../components/ReasonDialog';
import { t, formatNumber } from '../../i18n/t';
import { refusalText, runAction, runActionOrThrow } from '../../components/runAction';
import { Duration } from '../deploy/Duration';
import { verdictOf, VERDICT_BADGE } from './baselineCells';
import { verdictLabel } from './BaselineMatrix';

export interface CellDetailsProps {
  readonly runId: string;
  readonly check: BaselineCheck;
  readonly host: string;
  readonly cell: BaselineCell | undefined;
  readonly applies: boolean;
  readonly canRun: boolean;
  readonly canWaive: boolean;
  readonly onClose: () => void;
}

function planCommand(check: BaselineCheck): string | undefined {
  return 'run' in check && typeof check.run === 'string' ? check.run : undefined;
}

export function CellDetails({ runId, check, host, cell, applies, canRun, canWaive, onClose }: CellDetailsProps) {
  const [waiving, setWaiving] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const id = useId();
  const verdict = verdictOf(cell, applies);
  const command = planCommand(check);

  const rerun = (): void => {
    setBusy(true);
    setError(undefined);
    void runAction((expectSeq) => call('runs.baseline.run', { runId, expectSeq, only: { checkId: check.id, host } })).then((failed) => {
      setBusy(false);
      if (failed !== undefined) setError(refusalText(failed));
    });
  };

  return (
    <section className="card stack cell-details" aria-labelledby={`${id}-title`}>
      <div className="row">
        <h2 id={`${id}-title`}>{t('baseline.details.title', { check: check.title ?? check.id, host })}</h2>
        <span className={`badge ${VERDICT_BADGE[verdict]}`}>{verdictLabel(verdict)}</span>
        <button type="button" onClick={onClose}>
          {t('action.close')}
        </button>
      </div>
      <dl className="details-list">
        <dt>{t('baseline.details.kind')}</dt>
        <dd>
          <span className="mono">{check.type}</span> <span className="muted mono">{check.id}</span>
        </dd>
        {check.description !== undefined && (
          <>
            <dt>{t('baseline.details.why')}</dt>
            <dd>{check.description}</dd>
          </>
        )}
        {command !== undefined && (
          <>
            <dt>{t('baseline.details.command')}</dt>
            <dd>
              <pre className="excerpt">{command}</pre>
            </dd>
          </>
        )}
        {cell?.command !== undefined && cell.command !== command && (
          <>
            <dt>{t('baseline.details.commandRun')}</dt>
            <dd>
              <details>
                <summary>{t('baseline.details.commandRunShow')}</summary>
                <pre className="excerpt">{cell.command}</pre>
              </details>
            </dd>
          </>
        )}
        {cell?.expected !== undefined && (
          <>
            <dt>{t('baseline.details.expected')}</dt>
            <dd>{cell.expected}</dd>
          </>
        )}
        {cell?.found !== undefined && (
          <>
            <dt>{t('baseline.details.found')}</dt>
            <dd>{cell.found}</dd>
          </>
        )}
        {cell?.summary !== undefined && (
          <>
            <dt>{t('baseline.details.verdictWhy')}</dt>
            <dd>{cell.summary}</dd>
          </>
        )}
        {cell?.exitCode !== undefined && (
          <>
            <dt>{t('baseline.details.exitCode')}</dt>
            <dd>{cell.exitCode === null ? t('baseline.details.noExitCode') : formatNumber(cell.exitCode)}</dd>
          </>
        )}
        {cell?.startedAt !== undefined && (
          <>
            <dt>{t('baseline.details.duration')}</dt>
            <dd>
              <Duration startedAt={cell.startedAt} endedAt={cell.endedAt} going={cell.status === 'running'} muted={false} />
            </dd>
          </>
        )}
        {cell !== undefined && (
          <>
            <dt>{t('baseline.details.runs')}</dt>
            <dd>{formatNumber(cell.runs)}</dd>
          </>
        )}
        {cell?.waiver !== undefined && (
          <>
            <dt>{t('baseline.details.waiver')}</dt>
            <dd>{cell.waiver.reason}</dd>
          </>
        )}
      </dl>
      {cell === undefined && applies && <p className="muted">{t('baseline.details.notRun')}</p>}
      {!applies && <p className="muted">{t('baseline.details.notApplicable')}</p>}
      {cell?.stdoutExcerpt !== undefined && cell.stdoutExcerpt !== '' && (
        <>
          <h3>{t('baseline.details.stdout')}</h3>
          <pre className="excerpt" aria-label={t('baseline.details.stdout')}>
            {cell.stdoutExcerpt}
          </pre>
        </>
      )}
      {cell?.stderrExcerpt !== undefined && cell.stderrExcerpt !== '' && (
        <>
          <h3>{t('baseline.details.stderr')}</h3>
          <pre className="excerpt" aria-label={t('baseline.details.stderr')}>
            {cell.stderrExcerpt}
          </pre>
        </>
      )}
      {applies && (
        <div className="row">
          <button type="button" disabled={!canRun || busy || verdict === 'running'} onClick={rerun}>
            {t('baseline.details.rerun')}
          </button>
          {(verdict === 'failed' || verdict === 'error') && (
            <button type="button" className="danger" disabled={!canWaive} onClick={() => setWaiving(true)}>
              {t('baseline.details.waive')}
            </button>
          )}
        </div>
      )}
      {error !== undefined && (
        <p role="alert" className="notice fail">
          {error}
        </p>
      )}
      {waiving && (
        <ReasonDialog
          title={t('baseline.waive.title', { check: check.title ?? check.id, host })}
          confirmLabel={t('baseline.waive.confirm')}
          danger
          onClose={() => setWaiving(false)}
          onConfirm={(reason) => runActionOrThrow((expectSeq) => call('runs.baseline.waive', { runId, expectSeq, checkId: check.id, host, reason }))}
        >
          <p>{t('baseline.waive.explain')}</p>
        </ReasonDialog>
      )}
    </section>
  );
}
