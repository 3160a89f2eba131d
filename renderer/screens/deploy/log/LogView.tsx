// The live and stored output of one stream: a virtualised view with scaled scrolling (millions of
// lines), following the end while the technician is at the bottom, and "go to line" for any line.
import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { formatBytes, formatNumber, t } from '../../../i18n/t';
import { LogLine } from './LogLine';
import { isAtEnd, scrollTopAtEnd, scrollTopForRow, scrollWindow, type ScrollGeometry } from './scaledScroll';
import { useStreamLog } from './useStreamLog';
import './log.css';

const ROW_PX = 18;

export interface LogViewProps {
  readonly runId: string;
  readonly stream: string;
  /** The stream's length once its step ended. */
  readonly finalLength: number | undefined;
  /** What the output belongs to, e.g. "stdout of install on web1". */
  readonly label: string;
}

export function LogView({ runId, stream, finalLength, label }: LogViewProps) {
  const log = useStreamLog(runId, stream, finalLength);
  const scroller = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const [view, setView] = useState({ top: 0, height: 400 });
  const [current, setCurrent] = useState<number | undefined>(undefined);
  const [goTo, setGoTo] = useState('');
  const [atEnd, setAtEnd] = useState(true);
  const id = useId();
  const rowCount = log?.lineCount ?? 0;
  const geometry: ScrollGeometry = { rowCount, rowPx: ROW_PX, viewportPx: view.height };
  // The row count drawn last, and the scroll position the view set itself: a scroll event is the
  // technician's only if it moved away from where following put it.
  const drawnRows = useRef(0);
  drawnRows.current = rowCount;
  const setByView = useRef<number | undefined>(undefined);

  useEffect(() => {
    const el = scroller.current;
    if (el === null) return undefined;
    let frame = 0;
    const read = (): void => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => setView({ top: el.scrollTop, height: el.clientHeight }));
    };
    const resize = new ResizeObserver(read);
    resize.observe(el);
    read();
    return () => {
      cancelAnimationFrame(frame);
      resize.disconnect();
    };
  }, []);

  // New lines while at the end: stay at the end (after the spacer grew, before the paint).
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el === null || !following.current) return;
    const end = scrollTopAtEnd({ rowCount, rowPx: ROW_PX, viewportPx: el.clientHeight });
    if (Math.abs(el.scrollTop - end) > 1) {
      el.scrollTop = end;
      setByView.current = el.scrollTop;
    }
    if (view.top !== el.scrollTop) setView({ top: el.scrollTop, height: el.clientHeight });
  }, [rowCount, view.top]);

  const onScroll = useCallback((): void => {
    const el = scroller.current;
    if (el === null) return;
    if (setByView.current !== undefined && Math.abs(el.scrollTop - setByView.current) <= 1) {
      setView({ top: el.scrollTop, height: el.clientHeight });
      return;
    }
    setByView.current = undefined;
    following.current = isAtEnd(el.scrollTop, { rowCount: drawnRows.current, rowPx: ROW_PX, viewportPx: el.clientHeight });
    setAtEnd(following.current);
    setView({ top: el.scrollTop, height: el.clientHeight });
  }, []);

  const jumpTo = (lineNumber: number): void => {
    const el = scroller.current;
    if (el === null || rowCount === 0) return;
    const row = Math.min(Math.max(1, Math.floor(lineNumber)), rowCount) - 1;
    following.current = false;
    setAtEnd(false);
    setCurrent(row + 1);
    el.scrollTop = scrollTopForRow(row, { ...geometry, viewportPx: el.clientHeight });
    setByView.current = el.scrollTop;
    setView({ top: el.scrollTop, height: el.clientHeight });
  };

  const toEnd = (): void => {
    const el = scroller.current;
    if (el === null) return;
    following.current = true;
    setAtEnd(true);
    el.scrollTop = scrollTopAtEnd({ ...geometry, viewportPx: el.clientHeight });
    setByView.current = el.scrollTop;
  };

  const w = scrollWindow(view.top, geometry);
  const rows = [];
  for (let i = 0; i < w.rowsInView; i++) {
    const n = w.firstRow + i;
    rows.push(<LogLine key={n} number={n + 1} line={log?.line(n)} current={current === n + 1} />);
  }

  return (
    <section className="log-view" aria-labelledby={`${id}-title`}>
      <div className="row log-toolbar">
        <h3 id={`${id}-title`} className="log-title">
          {label}
        </h3>
        <span className="muted" aria-live="off">
          {rowCount === 1 ? t('deploy.log.sizeOneLine', { size: formatBytes(log?.bytesIndexed ?? 0) }) : t('deploy.log.size', { lines: formatNumber(rowCount), size: formatBytes(log?.bytesIndexed ?? 0) })}
        </span>
        {log?.behind === true && <span className="badge info">{t('deploy.log.catchingUp')}</span>}
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            const n = Number(goTo);
            if (Number.isFinite(n) && n >= 1) jumpTo(n);
          }}
        >
          <label htmlFor={`${id}-goto`}>{t('deploy.log.goToLabel')}</label>
          <input id={`${id}-goto`} className="log-goto" type="number" min={1} max={Math.max(1, rowCount)} value={goTo} onChange={(e) => setGoTo(e.target.value)} />
          <button type="submit">{t('deploy.log.goTo')}</button>
        </form>
        <button type="button" onClick={toEnd} disabled={atEnd} aria-pressed={atEnd}>
          {atEnd ? t('deploy.log.following') : t('deploy.log.follow')}
        </button>
      </div>
      {log?.error !== undefined && <p className="notice fail">{t('deploy.log.readFailed', { message: log.error })}</p>}
      <div ref={scroller} className="log-scroller mono" tabIndex={0} role="region" aria-label={t('deploy.log.region', { label })} onScroll={onScroll}>
        <div className="log-spacer" style={{ height: w.spacerPx }}>
          <div className="log-rows" style={{ transform: `translateY(${w.offsetPx}px)` }}>
            {rowCount === 0 ? <p className="muted log-empty">{finalLength === 0 ? t('deploy.log.emptyDone') : t('deploy.log.empty')}</p> : rows}
          </div>
        </div>
      </div>
    </section>
  );
}
