// The host × check matrix as an ARIA grid, virtualised both ways (only the cells in view are in
// the page, so 50 × 50 costs what 10 × 8 does). Headers stay in view (CSS sticky); arrow keys,
// Home and End move between cells, Enter or Space opens one.
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { baselineKey, type RunState } from '../../../shared/run';
import { t, type MessageKey } from '../../i18n/t';
import { verdictOf, VERDICT_BADGE, type Matrix } from './baselineCells';

const CELL_W = 128;
const ROW_H = 40;
const HEADER_H = 64;
const HOST_W = 150;
const OVERSCAN = 2;

export interface CellPosition {
  readonly row: number;
  readonly col: number;
}

export interface BaselineMatrixProps {
  readonly matrix: Matrix;
  readonly state: RunState;
  readonly active: CellPosition;
  readonly onActivate: (cell: CellPosition) => void;
  readonly onOpen: (cell: CellPosition) => void;
}

export function verdictLabel(verdict: string): string {
  return t(`baseline.verdict.${verdict}` as MessageKey);
}

export function BaselineMatrix({ matrix, state, active, onActivate, onOpen }: BaselineMatrixProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, left: 0, width: 800, height: 480 });
  // The cell that keyboard focus must reach once it is drawn.
  const focusAfterMove = useRef<CellPosition | undefined>(undefined);
  const rows = matrix.hosts.length;
  const cols = matrix.checks.length;

  const read = useCallback(() => {
    const el = scroller.current;
    if (el !== null) setView({ top: el.scrollTop, left: el.scrollLeft, width: el.clientWidth, height: el.clientHeight });
  }, []);

  useEffect(() => {
    const el = scroller.current;
    if (el === null) return undefined;
    const resize = new ResizeObserver(read);
    resize.observe(el);
    read();
    return () => resize.disconnect();
  }, [read]);

  // After a move by keyboard, focus follows the cell moved to once it is drawn (a render caused by
  // the scroll alone must not use up the move). The target lives in the ref, not in this render's
  // `active`: with fast key repeats React may run an older render's effect after the next move was
  // made, and that effect must not focus the older cell and use up the newer move.
  useEffect(() => {
    const target = focusAfterMove.current;
    if (target === undefined) return;
    const cell = scroller.current?.querySelector<HTMLElement>(`[data-cell="${target.row}:${target.col}"]`);
    if (cell === null || cell === undefined) return;
    focusAfterMove.current = undefined;
    cell.focus();
  });

  const move = (cell: CellPosition): void => {
    const el = scroller.current;
    if (el !== null) {
      // Bring the cell into the part of the view that the sticky headers do not cover.
      const top = cell.row * ROW_H;
      const left = cell.col * CELL_W;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + ROW_H > el.scrollTop + el.clientHeight - HEADER_H) el.scrollTop = top + ROW_H - (el.clientHeight - HEADER_H);
      if (left < el.scrollLeft) el.scrollLeft = left;
      else if (left + CELL_W > el.scrollLeft + el.clientWidth - HOST_W) el.scrollLeft = left + CELL_W - (el.clientWidth - HOST_W);
      read();
    }
    focusAfterMove.current = cell;
    onActivate(cell);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const { row, col } = active;
    const to: Record<string, CellPosition> = {
      ArrowUp: { row: Math.max(0, row - 1), col },
      ArrowDown: { row: Math.min(rows - 1, row + 1), col },
      ArrowLeft: { row, col: Math.max(0, col - 1) },
      ArrowRight: { row, col: Math.min(cols - 1, col + 1) },
      Home: { row, col: 0 },
      End: { row, col: cols - 1 },
      PageUp: { row: Math.max(0, row - 10), col },
      PageDown: { row: Math.min(rows - 1, row + 10), col },
    };
    const next = to[e.key];
    if (next !== undefined) {
      e.preventDefault();
      move(next);
    } else if ((e.key === 'Enter' || e.key === ' ') && e.target !== scroller.current) {
      e.preventDefault();
      onOpen(active);
    }
  };

  const firstRow = Math.max(0, Math.floor(view.top / ROW_H) - OVERSCAN);
  const lastRow = Math.min(rows, Math.ceil((view.top + view.height - HEADER_H) / ROW_H) + OVERSCAN);
  const firstCol = Math.max(0, Math.floor(view.left / CELL_W) - OVERSCAN);
  const lastCol = Math.min(cols, Math.ceil((view.left + view.width - HOST_W) / CELL_W) + OVERSCAN);
  const activeShown = active.row >= firstRow && active.row < lastRow && active.col >= firstCol && active.col < lastCol;
  const colRange: number[] = [];
  for (let c = firstCol; c < lastCol; c++) colRange.push(c);
  const rowRange: number[] = [];
  for (let r = firstRow; r < lastRow; r++) rowRange.push(r);

  return (
    <div
      ref={scroller}
      className="matrix-scroller"
      role="grid"
      aria-label={t('baseline.matrix.label')}
      aria-rowcount={rows + 1}
      aria-colcount={cols + 1}
      tabIndex={activeShown ? -1 : 0}
      onScroll={read}
      onKeyDown={onKeyDown}
      onFocus={(e) => {
        if (e.target === scroller.current) move(active);
      }}
    >
      <div className="matrix-spacer" style={{ width: HOST_W + cols * CELL_W }}>
        <div className="matrix-header" role="row" aria-rowindex={1} style={{ height: HEADER_H }}>
          <div className="matrix-corner" role="columnheader" aria-colindex={1} style={{ width: HOST_W, height: HEADER_H }}>
            {t('baseline.matrix.corner')}
          </div>
          {colRange.map((c) => {
            const check = matrix.checks[c]!;
            return (
              <div key={c} className="matrix-colheader" role="columnheader" aria-colindex={c + 2} title={check.id} style={{ left: HOST_W + c * CELL_W, width: CELL_W, height: HEADER_H }}>
                {check.title ?? check.id}
              </div>
            );
          })}
        </div>
        <div className="matrix-body" style={{ height: rows * ROW_H }}>
          {rowRange.map((r) => {
            const host = matrix.hosts[r]!;
            return (
              <div key={host} className="matrix-row" role="row" aria-rowindex={r + 2} style={{ top: r * ROW_H, height: ROW_H }}>
                <div className="matrix-rowheader" role="rowheader" aria-colindex={1} style={{ width: HOST_W, height: ROW_H }}>
                  {host}
                </div>
                {colRange.map((c) => {
                  const check = matrix.checks[c]!;
                  const key = baselineKey(check.id, host);
                  const verdict = verdictOf(state.baseline[key], matrix.applies.has(key));
                  const isActive = active.row === r && active.col === c;
                  return (
                    <div
                      key={c}
                      role="gridcell"
                      aria-colindex={c + 2}
                      aria-selected={isActive}
                      aria-label={t('baseline.matrix.cell', { check: check.title ?? check.id, host, verdict: verdictLabel(verdict) })}
                      data-cell={`${r}:${c}`}
                      tabIndex={isActive ? 0 : -1}
                      className={isActive ? 'matrix-cell active' : 'matrix-cell'}
                      style={{ left: HOST_W + c * CELL_W, width: CELL_W, height: ROW_H }}
                      onClick={() => {
                        onActivate({ row: r, col: c });
                        onOpen({ row: r, col: c });
                      }}
                    >
                      {verdict === 'not-applicable' ? <span className="muted">—</span> : <span className={`badge ${VERDICT_BADGE[verdict]}`}>{verdictLabel(verdict)}</span>}
                    </div>
                  );
                })}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
