import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAtEnd, MAX_SCROLL_PX, scrollTopAtEnd, scrollTopForRow, scrollWindow, spacerHeight } from '../../../renderer/screens/deploy/log/scaledScroll';

const rowPx = 18;
const viewportPx = 540;

describe('scaled scrolling', () => {
  it('maps 1:1 while the rows fit in one element', () => {
    const g = { rowCount: 1000, rowPx, viewportPx };
    expect(spacerHeight(g)).toBe(18_000);
    expect(scrollWindow(180, g)).toEqual({ spacerPx: 18_000, firstRow: 10, offsetPx: 180, rowsInView: 31 });
    expect(scrollWindow(185, g)).toMatchObject({ firstRow: 10, offsetPx: 180 });
    expect(scrollTopForRow(10, g)).toBe(180);
  });

  it('reaches every one of 4 million lines with an element under the browser limit', () => {
    const g = { rowCount: 4_000_000, rowPx, viewportPx };
    expect(spacerHeight(g)).toBe(MAX_SCROLL_PX);
    expect(scrollWindow(0, g).firstRow).toBe(0);
    // Line 1,000,000 (row 999,999) lands at the top of the view when jumped to.
    const top = scrollTopForRow(999_999, g);
    const w = scrollWindow(top, g);
    expect(w.firstRow).toBe(999_999);
    expect(w.offsetPx).toBeCloseTo(top, 6);
    // At the end, the last row is drawn exactly at the bottom of the viewport.
    const end = scrollTopAtEnd(g);
    const last = scrollWindow(end, g);
    expect(last.firstRow + last.rowsInView).toBeGreaterThanOrEqual(4_000_000);
    expect(last.offsetPx + (4_000_000 - last.firstRow) * rowPx).toBeCloseTo(end + viewportPx, 3);
    expect(isAtEnd(end, g)).toBe(true);
    expect(isAtEnd(end - 10 * rowPx, g)).toBe(false);
  });

  it('round-trips any row through its scroll position (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50_000_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (rowCount, where) => {
        const g = { rowCount, rowPx, viewportPx };
        const row = Math.floor(where * (rowCount - 1));
        const w = scrollWindow(scrollTopForRow(row, g), g);
        const lastTopRow = Math.max(0, rowCount - Math.floor(viewportPx / rowPx));
        // A row near the end cannot be at the top: it is then in view.
        if (row <= lastTopRow - 1) expect(w.firstRow).toBe(row);
        else expect(row).toBeGreaterThanOrEqual(w.firstRow);
        expect(w.spacerPx).toBeLessThanOrEqual(MAX_SCROLL_PX);
      }),
    );
  });
});
