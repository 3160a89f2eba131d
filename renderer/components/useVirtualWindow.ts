// Windowing for long lists with rows of one height (log lines, matrix rows): only the rows in view
// (plus a margin) are rendered, so 50×50 cells or millions of log lines cost the same to draw.
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';

export interface VirtualWindow {
  readonly first: number;
  /** Exclusive. */
  readonly last: number;
  /** Pixel offset of row `first` from the top of the scrolled content. */
  readonly offset: number;
  readonly totalHeight: number;
}

export function useVirtualWindow(
  container: RefObject<HTMLElement | null>,
  rowCount: number,
  rowHeight: number,
  overscan = 10,
): { window: VirtualWindow; scrollToRow: (row: number) => void } {
  const [scroll, setScroll] = useState({ top: 0, height: 600 });
  const frame = useRef(0);

  useEffect(() => {
    const el = container.current;
    if (el === null) return undefined;
    const read = (): void => {
      cancelAnimationFrame(frame.current);
      frame.current = requestAnimationFrame(() => setScroll({ top: el.scrollTop, height: el.clientHeight }));
    };
    read();
    el.addEventListener('scroll', read, { passive: true });
    const resize = new ResizeObserver(read);
    resize.observe(el);
    return () => {
      cancelAnimationFrame(frame.current);
      el.removeEventListener('scroll', read);
      resize.disconnect();
    };
  }, [container]);

  const first = Math.max(0, Math.floor(scroll.top / rowHeight) - overscan);
  const last = Math.min(rowCount, Math.ceil((scroll.top + scroll.height) / rowHeight) + overscan);
  const scrollToRow = useCallback(
    (row: number) => {
      const el = container.current;
      if (el !== null) el.scrollTop = Math.max(0, row * rowHeight - el.clientHeight / 3);
    },
    [container, rowHeight],
  );
  return { window: { first, last, offset: first * rowHeight, totalHeight: rowCount * rowHeight }, scrollToRow };
}
