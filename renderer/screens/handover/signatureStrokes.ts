// The drawn signature as strokes (lists of points in canvas pixels). Kept as data rather than
// only as pixels so that the pad can be drawn in the theme's ink on screen and exported in black
// on transparent for the report, whatever theme the technician uses at 2 a.m.

export interface Point {
  readonly x: number;
  readonly y: number;
}

export type Stroke = readonly Point[];

/** The subset of CanvasRenderingContext2D that painting needs (a recording fake in tests). */
export interface InkContext {
  strokeStyle: string | CanvasGradient | CanvasPattern;
  fillStyle: string | CanvasGradient | CanvasPattern;
  lineWidth: number;
  lineCap: CanvasLineCap;
  lineJoin: CanvasLineJoin;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  arc(x: number, y: number, radius: number, startAngle: number, endAngle: number): void;
  stroke(): void;
  fill(): void;
  clearRect(x: number, y: number, w: number, h: number): void;
}

/** A pointer position in canvas pixels, from client coordinates and the canvas's on-screen box. */
export function canvasPoint(clientX: number, clientY: number, box: { left: number; top: number; width: number; height: number }, canvas: { width: number; height: number }): Point {
  const scaleX = box.width === 0 ? 1 : canvas.width / box.width;
  const scaleY = box.height === 0 ? 1 : canvas.height / box.height;
  const clamp = (v: number, max: number): number => Math.min(max, Math.max(0, v));
  return { x: clamp((clientX - box.left) * scaleX, canvas.width), y: clamp((clientY - box.top) * scaleY, canvas.height) };
}

export const INK_WIDTH = 2.5;

/** Clears and paints every stroke; a single point (a tap, a dot on an i) becomes a dot. */
export function paintStrokes(ctx: InkContext, strokes: readonly Stroke[], ink: string, size: { width: number; height: number }): void {
  ctx.clearRect(0, 0, size.width, size.height);
  ctx.strokeStyle = ink;
  ctx.fillStyle = ink;
  ctx.lineWidth = INK_WIDTH;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  for (const stroke of strokes) {
    const [first, ...rest] = stroke;
    if (first === undefined) continue;
    ctx.beginPath();
    if (rest.length === 0) {
      ctx.arc(first.x, first.y, INK_WIDTH / 2, 0, Math.PI * 2);
      ctx.fill();
      continue;
    }
    ctx.moveTo(first.x, first.y);
    for (const p of rest) ctx.lineTo(p.x, p.y);
    ctx.stroke();
  }
}

/** Whether anything was drawn at all (an empty pad sends no image). */
export function hasInk(strokes: readonly Stroke[]): boolean {
  return strokes.some((s) => s.length > 0);
}
