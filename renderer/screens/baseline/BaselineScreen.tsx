// Baseline: every check on every host as a matrix (virtualised, keyboard-driven), a summary of
// verdicts, the hosts' clock skew, the details of one cell, reruns and waivers with a reason.
import { useState } from 'react';
import { baselineKey } from '../../../shared/run';
import { RunScreenGate, type OpenRun } from '../../components/RunScreenGate';
import { EmptyState } from '../../components/states';
import { formatNumber, t } from '../../i18n/t';
import { BaselineActions } from './BaselineActions';
import { baselineMatrix, countVerdicts, VERDICT_BADGE, type Verdict } from './baselineCells';
import { BaselineMatrix, verdictLabel, type CellPosition } from './BaselineMatrix';
import { CellDetails } from './CellDetails';
import { ClockSkew } from './ClockSkew';
import './baseline.css';

const SUMMARY: readonly Verdict[] = ['passed', 'failed', 'error', 'waived', 'running', 'not-run'];

export function BaselineScreen() {
  return (
    <div className="baseline stack">
      <h1>{t('baseline.title')}</h1>
      <RunScreenGate>{(open) => <Baseline {...open} />}</RunScreenGate>
    </div>
  );
}

function Baseline({ runId, run, plan }: OpenRun) {
  const [active, setActive] = useState<CellPosition>({ row: 0, col: 0 });
  const [open, setOpen] = useState<CellPosition | undefined>(undefined);
  const state = run.state;
  const matrix = baselineMatrix(plan);
  if (matrix.checks.length === 0 || matrix.hosts.length === 0) {
    return (
      <EmptyState title={t('baseline.empty.title')}>
        <p>{t('baseline.empty.text')}</p>
      </EmptyState>
    );
  }
  const counts = countVerdicts(matrix, state);
  const phase = state.phase;
  const canRun = phase === 'prepare' || phase === 'baseline';
  const openCheck = open === undefined ? undefined : matrix.checks[open.col];
  const openHost = open === undefined ? undefined : matrix.hosts[open.row];

  return (
    <>
      <section className="card" aria-label={t('baseline.summary.label')}>
        <ul className="row summary-list" aria-label={t('baseline.summary.label')}>
          {SUMMARY.map((v) => (
            <li key={v}>
              <span className={`badge ${VERDICT_BADGE[v]}`}>{verdictLabel(v)}</span> {formatNumber(counts[v])}
            </li>
          ))}
        </ul>
        {counts.failed + counts.error > 0 && <p className="notice warn">{t('baseline.summary.blocking', { count: counts.failed + counts.error })}</p>}
        {counts.failed + counts.error === 0 && counts['not-run'] + counts.running === 0 && <p className="notice ok">{t('baseline.summary.clear')}</p>}
      </section>
      <ClockSkew state={state} />
      <BaselineActions runId={runId} hosts={matrix.hosts} checks={matrix.checks} canRun={canRun} anyFailed={counts.failed + counts.error > 0} />
      <p className="muted">{t('baseline.matrix.hint')}</p>
      <BaselineMatrix matrix={matrix} state={state} active={active} onActivate={setActive} onOpen={setOpen} />
      {openCheck !== undefined && openHost !== undefined && (
        <CellDetails
          key={`${openCheck.id}@${openHost}`}
          runId={runId}
          check={openCheck}
          host={openHost}
          cell={state.baseline[baselineKey(openCheck.id, openHost)]}
          applies={matrix.applies.has(baselineKey(openCheck.id, openHost))}
          canRun={canRun}
          canWaive={phase === 'baseline'}
          onClose={() => setOpen(undefined)}
        />
      )}
    </>
  );
}
