// A <canvas> to sign on with a mouse, a pen or a finger (pointer events, one stroke per press).
// Drawing is optional: the typed name is the signature for keyboard users. On screen the ink
// follows the theme; the PNG sent to the report is black on transparent.
import { useEffect, useRef, useState, type PointerEvent } from 'react';
import { dataUrlBase64 } from '../../components/base64';
import { t } from '../../i18n/t';
import { canvasPoint, hasInk, paintStrokes, type Point, type Stroke } from './signatureStrokes';

// Strokes are kept in these logical pixels: the exported PNG has this size whatever the screen.
const WIDTH = 480;
const HEIGHT = 160;
const LOGICAL = { width: WIDTH, height: HEIGHT };
// The report is a white document: the exported ink is black whatever the theme on screen.
const EXPORT_INK = '#000000';

function exportPng(strokes: readonly Stroke[]): string | undefined {
  if (!hasInk(strokes)) return undefined;
  const canvas = document.createElement('canvas');
  canvas.width = WIDTH;
  canvas.height = HEIGHT;
  const ctx = canvas.getContext('2d');
  if (ctx === null) return undefined;
  paintStrokes(ctx, strokes, EXPORT_INK, canvas);
  return dataUrlBase64(canvas.toDataURL('image/png'));
}

export function SignaturePad({ label, onChange }: { readonly label: string; readonly onChange: (pngBase64: string | undefined) => void }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const strokes = useRef<Point[][]>([]);
  const drawing = useRef(false);
  const [drawn, setDrawn] = useState(false);
  // The on-screen canvas has as many pixels as the screen shows (2x on a HiDPI laptop), so the ink
  // is sharp where the technician signs; the strokes themselves stay in logical pixels.
  const [density] = useState(() => Math.min(3, Math.max(1, window.devicePixelRatio || 1)));

  const repaint = (): void => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (c === null || c === undefined || ctx === null || ctx === undefined) return;
    ctx.setTransform(density, 0, 0, density, 0, 0);
    paintStrokes(ctx, strokes.current, getComputedStyle(c).color, LOGICAL);
  };

  useEffect(repaint, []);

  const pointOf = (e: PointerEvent<HTMLCanvasElement>): Point => canvasPoint(e.clientX, e.clientY, e.currentTarget.getBoundingClientRect(), LOGICAL);

  const end = (): void => {
    if (!drawing.current) return;
    drawing.current = false;
    setDrawn(hasInk(strokes.current));
    onChange(exportPng(strokes.current));
  };

  return (
    <div className="stack signature">
      <canvas
        ref={canvas}
        className="signature-pad"
        width={Math.round(WIDTH * density)}
        height={Math.round(HEIGHT * density)}
        role="img"
        aria-label={label}
        onPointerDown={(e) => {
          e.preventDefault();
          e.currentTarget.setPointerCapture(e.pointerId);
          drawing.current = true;
          strokes.current.push([pointOf(e)]);
          repaint();
        }}
        onPointerMove={(e) => {
          if (!drawing.current) return;
          strokes.current[strokes.current.length - 1]?.push(pointOf(e));
          repaint();
        }}
        onPointerUp={end}
        onPointerCancel={end}
      />
      <p className="muted">{t('handover.signatureHelp')}</p>
      <div className="row">
        <button
          type="button"
          disabled={!drawn}
          onClick={() => {
            strokes.current = [];
            setDrawn(false);
            repaint();
            onChange(undefined);
          }}
        >
          {t('handover.clearSignature')}
        </button>
        <span className="muted" aria-live="polite">
          {drawn ? t('handover.drawn') : t('handover.notDrawn')}
        </span>
      </div>
    </div>
  );
}
