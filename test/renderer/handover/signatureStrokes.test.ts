import { describe, expect, it } from 'vitest';
import { dataUrlBase64, base64ToBytes } from '../../../renderer/components/base64';
import { canvasPoint, hasInk, paintStrokes, type InkContext } from '../../../renderer/screens/handover/signatureStrokes';

function recordingContext(): InkContext & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    strokeStyle: '',
    fillStyle: '',
    lineWidth: 1,
    lineCap: 'butt',
    lineJoin: 'miter',
    beginPath: () => calls.push('begin'),
    moveTo: (x, y) => calls.push(`move ${x},${y}`),
    lineTo: (x, y) => calls.push(`line ${x},${y}`),
    arc: (x, y) => calls.push(`dot ${x},${y}`),
    stroke: () => calls.push('stroke'),
    fill: () => calls.push('fill'),
    clearRect: () => calls.push('clear'),
  };
}

describe('the signature pad', () => {
  it('maps a pointer on a pad shown at half size to canvas pixels, and keeps it on the pad', () => {
    const box = { left: 100, top: 50, width: 240, height: 80 };
    const canvas = { width: 480, height: 160 };
    expect(canvasPoint(160, 90, box, canvas)).toEqual({ x: 120, y: 80 });
    expect(canvasPoint(0, 500, box, canvas)).toEqual({ x: 0, y: 160 });
  });

  it('paints each stroke as one path in the given ink, and a tap as a dot', () => {
    const ctx = recordingContext();
    paintStrokes(ctx, [[{ x: 1, y: 1 }, { x: 5, y: 5 }, { x: 9, y: 2 }], [{ x: 20, y: 20 }], []], '#000000', { width: 480, height: 160 });
    expect(ctx.strokeStyle).toBe('#000000');
    expect(ctx.calls).toEqual(['clear', 'begin', 'move 1,1', 'line 5,5', 'line 9,2', 'stroke', 'begin', 'dot 20,20', 'fill']);
  });

  it('an untouched pad has no ink (no image is sent; the typed name signs)', () => {
    expect(hasInk([])).toBe(false);
    expect(hasInk([[]])).toBe(false);
    expect(hasInk([[{ x: 1, y: 1 }]])).toBe(true);
  });

  it('takes the PNG out of the canvas data URL as the base64 the contract wants', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const body = dataUrlBase64(`data:image/png;base64,${png.toString('base64')}`);
    expect(Buffer.from(base64ToBytes(body))).toEqual(png);
    expect(() => dataUrlBase64('data:image/png,plain')).toThrow();
  });
});
