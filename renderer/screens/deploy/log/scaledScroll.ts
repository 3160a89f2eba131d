// Scrolling through more rows than a browser can make tall: Chromium caps an element near 33.5
// million px and Firefox near 17.9 million, so 4 million log lines of 18 px cannot be one long
// element. Up to MAX_SCROLL_PX the scroll position maps 1:1 to rows; beyond, the spacer stays at
// MAX_SCROLL_PX and the position is scaled, so the scrollbar spans every row and the rows on
// screen are still drawn at their exact pixel size.

export const MAX_SCROLL_PX = 8_000_000;

export interface ScrollGeometry {
  readonly rowCount: number;
  readonly rowPx: number;
  readonly viewportPx: number;
  readonly maxPx?: number;
}

export interface ScrollWindow {
  /** Height to give the scrolled content. */
  readonly spacerPx: number;
  /** The first row (0-based) to draw, and where to draw it in the scrolled content. */
  readonly firstRow: number;
  readonly offsetPx: number;
  /** Rows to draw from firstRow to fill the viewport. */
  readonly rowsInView: number;
}

export function spacerHeight(g: ScrollGeometry): number {
  return Math.min(g.rowCount * g.rowPx, g.maxPx ?? MAX_SCROLL_PX);
}

/** Content pixels per scroll pixel: 1 while everything fits, more beyond. */
function ratio(g: ScrollGeometry): number {
  const content = g.rowCount * g.rowPx;
  const spacer = spacerHeight(g);
  if (content <= spacer || spacer <= g.viewportPx) return 1;
  return (content - g.viewportPx) / (spacer - g.viewportPx);
}

export function scrollWindow(scrollTop: number, g: ScrollGeometry): ScrollWindow {
  const spacerPx = spacerHeight(g);
  const maxTop = Math.max(0, spacerPx - g.viewportPx);
  const top = Math.min(Math.max(0, scrollTop), maxTop);
  const virtualTop = top * ratio(g);
  // The epsilon absorbs the rounding of the scaling, so that a row jumped to is the first row.
  const firstRow = Math.min(Math.max(0, g.rowCount - 1), Math.floor(virtualTop / g.rowPx + 1e-6));
  const offsetPx = top - (virtualTop - firstRow * g.rowPx);
  const rowsInView = Math.min(g.rowCount - firstRow, Math.ceil(g.viewportPx / g.rowPx) + 1);
  return { spacerPx, firstRow: Math.max(0, firstRow), offsetPx, rowsInView: Math.max(0, rowsInView) };
}

/** The scroll position that shows `row` at the top (clamped to the end). */
export function scrollTopForRow(row: number, g: ScrollGeometry): number {
  const spacerPx = spacerHeight(g);
  const maxTop = Math.max(0, spacerPx - g.viewportPx);
  return Math.min(maxTop, Math.max(0, (row * g.rowPx) / ratio(g)));
}

/** The scroll position of the very end (the last row fully in view). */
export function scrollTopAtEnd(g: ScrollGeometry): number {
  return Math.max(0, spacerHeight(g) - g.viewportPx);
}

/** Whether the viewport shows the end (within one row): the view then follows new output. */
export function isAtEnd(scrollTop: number, g: ScrollGeometry): boolean {
  return scrollTop >= scrollTopAtEnd(g) - g.rowPx;
}
